//! `--dry-run`: the gas and data-fee estimate of what remains to do.

use alloy::network::TransactionBuilder;

use crate::suite::{initcode, IStylusDeployer, STYLUS_DEPLOYER};

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
    /// `deploy_gas` is the gas of the one StylusDeployer transaction that deploys, activates and
    /// constructs the contract (`activation_gas` is then `None`: it is inside that transaction).
    pub via_deployer: bool,
    /// Setup transactions still to send.
    pub setup_txs: u64,
    /// Whether the contract is deployed on the target already (only its setup may remain).
    pub deployed: bool,
    /// Setup steps the target has done already.
    pub setup_done: Vec<String>,
    /// Gas of every transaction still to send for it (deployment through the StylusDeployer or
    /// CREATE + activation, then its setup), measured by running the whole deployment on a fresh
    /// embedded devnode ([`simulate`]); `None` until [`Plan::add_simulation`].
    pub simulated_gas: Option<u64>,
    /// Why an estimate is missing.
    pub note: String,
}

impl PlanRow {
    /// Gas this contract still needs: the larger of the target's estimates (setup calls guessed)
    /// and the simulated gas, when there is one.
    pub fn gas(&self) -> u64 {
        let estimated = self
            .deploy_gas
            .unwrap_or(0)
            .saturating_add(self.activation_gas.unwrap_or(0));
        match self.simulated_gas {
            Some(sim) => sim.max(estimated),
            None => estimated.saturating_add(self.setup_txs.saturating_mul(SETUP_GAS_GUESS)),
        }
    }
}

impl Plan {
    /// Upper estimate of the wei needed: gas × price plus data fees with the bump.
    pub fn total_cost(&self) -> U256 {
        let mut gas: u64 = 0;
        let mut fees = U256::ZERO;
        for row in &self.rows {
            gas = gas.saturating_add(row.gas());
            fees += bump(row.data_fee.unwrap_or_default());
        }
        U256::from(gas) * U256::from(self.gas_price) + fees
    }

    /// Fills every row's [`PlanRow::simulated_gas`] from `sim`, the record of the same suite
    /// deployed on a fresh chain ([`simulate`]): the deployment and activation gas of contracts
    /// not deployed on the target, plus the gas of the setup steps the target still lacks.
    pub fn add_simulation(&mut self, sim: &Deployments) {
        for row in &mut self.rows {
            let Some(s) = sim.get(row.contract) else {
                continue;
            };
            let done = |step: &str| row.setup_done.iter().any(|d| d == step);
            let mut gas: u64 = 0;
            if !row.deployed {
                gas = s
                    .deploy_gas_used
                    .saturating_add(s.activation.as_ref().map_or(0, |a| a.gas_used));
            }
            for step in s.setup.iter().filter(|d| !done(&d.step)) {
                gas = gas.saturating_add(step.gas_used);
            }
            row.simulated_gas = Some(gas);
        }
    }

    /// Renders the plan as a table.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{:<20} {:>9}  {:<30} {:>12} {:>14} {:>22} {:>6} {:>14}\n",
            "contract",
            "size",
            "state",
            "deploy gas",
            "activate gas",
            "data fee (ETH)",
            "setup",
            "simulated gas"
        );
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |g| g.to_string());
        for r in &self.rows {
            out += &format!(
                "{:<20} {:>9}  {:<30} {:>12} {:>14} {:>22} {:>6} {:>14}\n",
                r.contract.key(),
                r.code_size,
                r.state,
                opt(r.deploy_gas),
                if r.via_deployer {
                    "in deploy tx".to_string()
                } else {
                    opt(r.activation_gas)
                },
                r.data_fee.map_or("-".to_string(), format_units18),
                r.setup_txs,
                opt(r.simulated_gas),
            );
            if !r.note.is_empty() {
                out += &format!("    note: {}\n", r.note);
            }
        }
        let simulated = self.rows.iter().any(|r| r.simulated_gas.is_some());
        out += &format!(
            "estimated cost: ≤ {} ETH at {} wei gas price (data fees +{}%, {})\n",
            format_units18(self.total_cost()),
            self.gas_price,
            DATA_FEE_BUMP_PERCENT,
            if simulated {
                "each contract's gas: the larger of the node's estimate and the simulated gas"
                    .to_string()
            } else {
                format!("setup calls counted as {SETUP_GAS_GUESS} gas")
            }
        );
        if simulated {
            out += "simulated gas: every transaction still to send (StylusDeployer deploy + activate + \
                    constructor, or CREATE + activation, then the setup calls), measured by deploying \
                    the suite on a fresh embedded devnode (Nitro's gas schedule; on Arbitrum the L1 \
                    data component of each transaction comes on top, which the node's estimates include)\n";
        }
        out
    }
}

/// Deploys the whole suite on a fresh embedded devnode (the published dev key) and returns its
/// record: the gas of every transaction `deploy` would send, the StylusDeployer's included.
pub async fn simulate(artifacts: &Artifacts) -> Result<Deployments> {
    let node = crate::demo::start_embedded_node().await?;
    let signer: alloy::signers::local::PrivateKeySigner = crate::suite::DEV_PRIVATE_KEY
        .parse()
        .map_err(|e| anyhow!("dev key: {e}"))?;
    let result = async {
        let deployer =
            Deployer::connect(node.url().clone(), signer, None, Progress::quiet()).await?;
        let record = deployer.load_record(None, true)?;
        let report = deployer.run(record, artifacts, None).await?;
        Ok::<_, anyhow::Error>(report.deployments)
    }
    .await;
    node.stop().await?;
    result.context("simulating the deployment on an embedded devnode")
}

/// What the plan assumes of a contract not deployed yet: it lives at `address` with code `hash`.
fn stand_in_record(contract: SuiteContract, address: Address, hash: B256) -> ContractRecord {
    ContractRecord {
        artifact: contract.artifact().to_string(),
        address,
        code_hash: hash,
        code_size: 0,
        deploy_tx: B256::ZERO,
        deploy_gas_used: 0,
        activation: None,
        setup: Vec::new(),
        abi: contract.abi_path(),
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
        // The record as it will be once the earlier contracts are deployed: stand-in addresses
        // for those not deployed yet, so a later constructor's arguments can be encoded.
        let mut overlay = record.clone();
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
                via_deployer: false,
                setup_txs: 0,
                deployed: false,
                setup_done: Vec::new(),
                simulated_gas: None,
                note: String::new(),
            };
            let deployed = state == ResumeState::Deployed;
            row.deployed = deployed;
            if deployed {
                if let Some(r) = record.get(contract) {
                    row.setup_done = r.setup.iter().map(|d| d.step.clone()).collect();
                }
            }
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
            // A stand-in address for code not deployed yet: derived from the code hash.
            let stand_in = Address::from_word(keccak256(hash));
            if !deployed {
                overlay.contracts.insert(
                    contract.key().to_string(),
                    stand_in_record(contract, stand_in, hash),
                );
            }
            let was_active = match self.activation_status(hash).await {
                Ok(status) => matches!(status, ActivationStatus::Active(_)),
                Err(e) => {
                    row.note = one_line(e);
                    false
                }
            };
            let active = was_active || activated_here.contains(&hash);
            // (Code an earlier row activates: the node would price an activation that will not
            // happen; its CREATE estimate and the simulation stand.)
            if contract.constructed() && !deployed && (was_active || !active) {
                // One StylusDeployer transaction: deploy + activate + constructor. Its value is
                // the bumped data fee, unless the code hash is active already.
                let fee = if was_active {
                    Some(U256::ZERO)
                } else {
                    self.data_fee(stand_in, Some(code)).await.ok()
                };
                match (fee, self.init_data(contract, &overlay)) {
                    (Some(fee), Ok(init)) => {
                        let deployer = IStylusDeployer::new(STYLUS_DEPLOYER, &self.provider);
                        let call = deployer
                            .deploy_call(initcode(code), init, U256::ZERO, B256::ZERO)
                            .from(self.from)
                            .value(bump(fee));
                        match call.estimate_gas().await {
                            Ok(g) => {
                                activated_here.push(hash);
                                row.state += " (StylusDeployer)";
                                row.deploy_gas = Some(g);
                                row.data_fee = (!was_active).then_some(fee);
                                row.via_deployer = true;
                            }
                            Err(e) => {
                                let why = match e
                                    .as_decoded_interface_error::<IStylusDeployer::IStylusDeployerErrors>()
                                {
                                    Some(IStylusDeployer::IStylusDeployerErrors::ContractInitializationError(_)) => {
                                        "its constructor needs the contracts before it deployed".to_string()
                                    }
                                    _ => one_line(e),
                                };
                                row.note = format!(
                                    "StylusDeployer tx not estimable here ({why}): the node's estimate \
                                     is CREATE + activation; simulated gas is the whole transaction"
                                )
                            }
                        }
                    }
                    (_, Err(e)) => row.note = format!("constructor arguments: {}", one_line(e)),
                    (None, _) => {}
                }
            }
            if row.via_deployer {
                // Priced above, activation included.
            } else if active {
                row.state += ", active";
            } else {
                activated_here.push(hash);
                let program = match record.get(contract) {
                    Some(r) if deployed => r.address,
                    _ => stand_in,
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
