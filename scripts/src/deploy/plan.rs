//! `--dry-run`: the gas and data-fee estimate of what remains to do.

use alloy::network::TransactionBuilder;

use crate::suite::initcode;

#[allow(unused_imports)]
use super::*;

/// Estimated cost of what remains to be done.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// One line per contract.
    pub rows: Vec<PlanRow>,
    /// Gas price used for the totals (wei).
    pub gas_price: u128,
}

/// Estimate for one contract.
#[derive(Clone, Debug)]
pub struct PlanRow {
    /// Contract.
    pub contract: SuiteContract,
    /// Deployable code size.
    pub code_size: usize,
    /// Where it stands.
    pub state: String,
    /// Gas of the deployment (None: skipped or unknown).
    pub deploy_gas: Option<u64>,
    /// Gas of the activation (None: skipped or unknown).
    pub activation_gas: Option<u64>,
    /// Activation data fee (None: skipped or unknown).
    pub data_fee: Option<U256>,
    /// Setup transactions still to send.
    pub setup_txs: u64,
    /// Why an estimate is missing.
    pub note: String,
}

impl Plan {
    /// Upper estimate of the wei needed: gas × price (setup calls guessed) plus data fees with the bump.
    pub fn total_cost(&self) -> U256 {
        let mut gas: u64 = 0;
        let mut fees = U256::ZERO;
        for row in &self.rows {
            gas = gas
                .saturating_add(row.deploy_gas.unwrap_or(0))
                .saturating_add(row.activation_gas.unwrap_or(0))
                .saturating_add(row.setup_txs.saturating_mul(SETUP_GAS_GUESS));
            fees += bump(row.data_fee.unwrap_or_default());
        }
        U256::from(gas) * U256::from(self.gas_price) + fees
    }

    /// Renders the plan as a table.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{:<20} {:>9}  {:<22} {:>12} {:>14} {:>22} {:>6}\n",
            "contract", "size", "state", "deploy gas", "activate gas", "data fee (ETH)", "setup"
        );
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |g| g.to_string());
        for r in &self.rows {
            out += &format!(
                "{:<20} {:>9}  {:<22} {:>12} {:>14} {:>22} {:>6}\n",
                r.contract.key(),
                r.code_size,
                r.state,
                opt(r.deploy_gas),
                opt(r.activation_gas),
                r.data_fee.map_or("-".to_string(), format_units18),
                r.setup_txs,
            );
            if !r.note.is_empty() {
                out += &format!("    note: {}\n", r.note);
            }
        }
        out += &format!(
            "estimated cost: ≤ {} ETH at {} wei gas price (data fees +{}%, setup calls counted as {} gas)\n",
            format_units18(self.total_cost()),
            self.gas_price,
            DATA_FEE_BUMP_PERCENT,
            SETUP_GAS_GUESS
        );
        out
    }
}

/// `fee` plus [`DATA_FEE_BUMP_PERCENT`].
pub fn bump(fee: U256) -> U256 {
    fee * U256::from(100 + DATA_FEE_BUMP_PERCENT) / U256::from(100u64)
}

impl Deployer {
    /// Estimates what remains to do (no transaction is sent).
    pub async fn plan(&self, record: &Deployments, artifacts: &Artifacts) -> Result<Plan> {
        let gas_price = self
            .provider
            .get_gas_price()
            .await
            .map_err(|e| anyhow!("eth_gasPrice failed: {}", one_line(e)))?;
        let mut plan = Plan {
            rows: Vec::new(),
            gas_price,
        };
        let mut activated_here: Vec<B256> = Vec::new();
        for contract in SuiteContract::ALL {
            let code = artifacts.code(contract.artifact())?;
            let hash = check_code(contract.artifact(), code)?;
            let onchain = match record.get(contract) {
                Some(r) => Some(self.code_at(r.address).await?),
                None => None,
            };
            let state = resume_state(
                record.get(contract),
                hash,
                onchain.as_ref().map(|b| b.as_ref()),
            );
            let mut row = PlanRow {
                contract,
                code_size: code.len(),
                state: String::new(),
                deploy_gas: None,
                activation_gas: None,
                data_fee: None,
                setup_txs: 0,
                note: String::new(),
            };
            let deployed = state == ResumeState::Deployed;
            if deployed {
                row.state = "deployed".into();
            } else {
                row.state = match state {
                    ResumeState::Vanished => "to redeploy (no code)".into(),
                    ResumeState::ArtifactChanged => "artifact changed".into(),
                    ResumeState::Foreign => "foreign code".into(),
                    _ => "to deploy".into(),
                };
                let tx = TransactionRequest::default()
                    .with_from(self.from)
                    .with_deploy_code(initcode(code));
                match self.provider.estimate_gas(tx).await {
                    Ok(g) => row.deploy_gas = Some(g),
                    Err(e) => row.note = format!("deploy gas: {}", one_line(e)),
                }
            }
            let active = match self.activation_status(hash).await {
                Ok(status) => matches!(status, ActivationStatus::Active(_)),
                Err(e) => {
                    row.note = one_line(e);
                    false
                }
            } || activated_here.contains(&hash);
            if active {
                row.state += ", active";
            } else {
                activated_here.push(hash);
                // A stand-in address for code not deployed yet: derived from the code hash.
                let program = match record.get(contract) {
                    Some(r) if deployed => r.address,
                    _ => Address::from_word(keccak256(hash)),
                };
                let code_override = (!deployed).then_some(code);
                match self.data_fee(program, code_override).await {
                    Ok(fee) => {
                        row.data_fee = Some(fee);
                        let arb_wasm = IArbWasm::new(ARB_WASM, &self.provider);
                        let mut call = arb_wasm
                            .activateProgram(program)
                            .from(self.from)
                            .value(bump(fee));
                        if let Some(code) = code_override {
                            call = call.state(
                                StateOverridesBuilder::default()
                                    .with_code(program, code.clone())
                                    .build(),
                            );
                        }
                        match call.estimate_gas().await {
                            Ok(g) => row.activation_gas = Some(g),
                            Err(e) => {
                                row.note = format!("activation gas: {}", one_line(e));
                            }
                        }
                    }
                    Err(e) => row.note = format!("data fee: {}", one_line(e)),
                }
            }
            row.setup_txs = setup_steps(contract)
                .iter()
                .filter(|s| {
                    !deployed
                        || !record
                            .get(contract)
                            .is_some_and(|r| r.setup.iter().any(|d| d.step == **s))
                })
                .count() as u64;
            plan.rows.push(row);
        }
        Ok(plan)
    }
}
