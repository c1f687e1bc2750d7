//! The three steps of every contract: deploy (plain CREATE or StylusDeployer with its
//! constructor), activate, set up; each skipped when the record and the chain say it is done.

use alloy::network::TransactionBuilder;

use crate::suite::{initcode, IStylusDeployer, STYLUS_DEPLOYER};

#[allow(unused_imports)]
use super::*;

impl Deployer {
    fn save(record: &Deployments, file: Option<&Path>) -> Result<()> {
        match file {
            Some(path) => record.save_atomic(path),
            None => Ok(()),
        }
    }

    pub(super) async fn ensure_deployed(
        &self,
        contract: SuiteContract,
        code: &Bytes,
        record: &mut Deployments,
        file: Option<&Path>,
        steps: &mut Vec<StepLog>,
    ) -> Result<()> {
        let hash = keccak256(code);
        let onchain = match record.get(contract) {
            Some(r) => Some(self.code_at(r.address).await?),
            None => None,
        };
        let step = self.progress.start(format!("deploy {}", contract.label()));
        match resume_state(
            record.get(contract),
            hash,
            onchain.as_ref().map(|b| b.as_ref()),
        ) {
            ResumeState::Deployed => {
                let address = record.address(contract).unwrap_or_default();
                let elapsed = step.done(format!("already at {address}"));
                steps.push(StepLog {
                    contract,
                    action: "deploy".into(),
                    outcome: Outcome::Skipped(format!("already deployed at {address}")),
                    elapsed,
                });
                return Ok(());
            }
            ResumeState::ArtifactChanged => {
                step.fail("artifact changed");
                bail!(
                    "{} at {} runs other code than the current {} artifact: pass --fresh to deploy a new suite",
                    contract.key(),
                    record.address(contract).unwrap_or_default(),
                    contract.artifact()
                );
            }
            ResumeState::Foreign => {
                step.fail("unexpected code");
                bail!(
                    "{} at {}: the code there does not match the deployments record; pass --fresh to deploy a new suite",
                    contract.key(),
                    record.address(contract).unwrap_or_default()
                );
            }
            ResumeState::Vanished => {
                self.progress.note(format!(
                    "{} recorded at {} has no code (chain reset?): deploying again",
                    contract.key(),
                    record.address(contract).unwrap_or_default()
                ));
                // It and everything deployed after it (which may depend on it) are stale.
                for later in SuiteContract::ALL.iter().filter(|c| **c >= contract) {
                    record.contracts.remove(later.key());
                }
            }
            ResumeState::NotRecorded => {}
        }
        let sent = if contract.constructed() {
            self.deploy_constructed(contract, code, record).await
        } else {
            self.deploy_plain(contract, code).await
        };
        let (receipt, address, activation) = match sent {
            Ok(r) => r,
            Err(e) => {
                step.fail("");
                return Err(e.context(format!("deploying {}", contract.key())));
            }
        };
        let deployed = self.code_at(address).await?;
        if keccak256(&deployed) != hash {
            step.fail("");
            bail!(
                "deploying {}: code at {address} differs from the artifact ({} bytes instead of {})",
                contract.key(),
                deployed.len(),
                code.len()
            );
        }
        let elapsed = step.done(format!("{address}, gas {}", receipt.gas_used));
        record.contracts.insert(
            contract.key().into(),
            ContractRecord {
                artifact: contract.artifact().into(),
                address,
                code_hash: hash,
                code_size: code.len(),
                deploy_tx: receipt.transaction_hash,
                deploy_gas_used: receipt.gas_used,
                activation,
                setup: Vec::new(),
                abi: contract.abi_path(),
            },
        );
        Self::save(record, file)?;
        steps.push(StepLog {
            contract,
            action: "deploy".into(),
            outcome: Outcome::Sent {
                tx: receipt.transaction_hash,
                gas_used: receipt.gas_used,
            },
            elapsed,
        });
        Ok(())
    }

    /// A plain CREATE of `code` (activation and setup follow as separate transactions).
    async fn deploy_plain(
        &self,
        contract: SuiteContract,
        code: &Bytes,
    ) -> Result<(TransactionReceipt, Address, Option<ActivationRecord>)> {
        let tx = TransactionRequest::default()
            .with_from(self.from)
            .with_deploy_code(initcode(code));
        let receipt = self.send_tx(tx).await?;
        let Some(address) = receipt.contract_address else {
            bail!(
                "deploying {}: the receipt has no contract address",
                contract.key()
            );
        };
        Ok((receipt, address, None))
    }

    /// Deploy + activate + `#[constructor]` in one transaction through the StylusDeployer (the
    /// vault: no initialisation window to front-run). The data fee is quoted first and bumped;
    /// the deployer refunds the excess.
    async fn deploy_constructed(
        &self,
        contract: SuiteContract,
        code: &Bytes,
        record: &Deployments,
    ) -> Result<(TransactionReceipt, Address, Option<ActivationRecord>)> {
        let init_data = self.init_data(contract, record)?;
        let hash = keccak256(code);
        let fee = match self.activation_status(hash).await? {
            ActivationStatus::Active(_) => U256::ZERO,
            _ => {
                let stand_in = Address::from_word(keccak256(hash));
                bump(self.data_fee(stand_in, Some(code)).await?)
            }
        };
        let deployer = IStylusDeployer::new(STYLUS_DEPLOYER, &self.provider);
        let call = deployer
            .deploy_call(initcode(code), init_data, U256::ZERO, B256::ZERO)
            .value(fee);
        let receipt = self.send_call(call).await?;
        let logs = receipt.inner.logs();
        let address = logs
            .iter()
            .find_map(|l| l.log_decode::<IStylusDeployer::ContractDeployed>().ok())
            .map(|e| e.inner.data.deployedContract)
            .ok_or_else(|| anyhow!("the StylusDeployer emitted no ContractDeployed"))?;
        let activation = logs
            .iter()
            .find_map(|l| l.log_decode::<IArbWasm::ProgramActivated>().ok())
            .map(|e| ActivationRecord {
                version: e.inner.data.version,
                data_fee: e.inner.data.dataFee,
                tx: Some(receipt.transaction_hash),
                gas_used: 0,
            });
        Ok((receipt, address, activation))
    }

    pub(super) async fn ensure_activated(
        &self,
        contract: SuiteContract,
        record: &mut Deployments,
        file: Option<&Path>,
        steps: &mut Vec<StepLog>,
    ) -> Result<()> {
        let entry = record
            .get(contract)
            .cloned()
            .ok_or_else(|| anyhow!("{} is not deployed", contract.key()))?;
        let step = self
            .progress
            .start(format!("activate {}", contract.label()));
        if let ActivationStatus::Active(version) = self.activation_status(entry.code_hash).await? {
            let elapsed = step.done(format!("code hash already active (v{version})"));
            if let Some(r) = record.contracts.get_mut(contract.key()) {
                if r.activation.is_none() {
                    r.activation = Some(ActivationRecord {
                        version,
                        data_fee: U256::ZERO,
                        tx: None,
                        gas_used: 0,
                    });
                    Self::save(record, file)?;
                }
            }
            steps.push(StepLog {
                contract,
                action: "activate".into(),
                outcome: Outcome::Skipped(format!("already active (v{version})")),
                elapsed,
            });
            return Ok(());
        }
        let fee = match self.data_fee(entry.address, None).await {
            Ok(fee) => fee,
            Err(e) => {
                step.fail("");
                bail!(
                    "activation of {} at {} failed: {}",
                    contract.key(),
                    entry.address,
                    one_line(e)
                );
            }
        };
        let arb_wasm = IArbWasm::new(ARB_WASM, &self.provider);
        let call = arb_wasm.activateProgram(entry.address).value(bump(fee));
        let receipt = match self.send_call(call).await {
            Ok(r) => r,
            Err(e) => {
                step.fail("");
                bail!(
                    "activation of {} at {} failed: {}",
                    contract.key(),
                    entry.address,
                    one_line(format!("{e:#}"))
                );
            }
        };
        let event = receipt
            .inner
            .logs()
            .iter()
            .find_map(|log| log.log_decode::<IArbWasm::ProgramActivated>().ok());
        let (version, data_fee) = match event {
            Some(ev) => (ev.inner.data.version, ev.inner.data.dataFee),
            None => (0, fee),
        };
        let elapsed = step.done(format!(
            "data fee {} ETH, gas {}",
            format_units18(data_fee),
            receipt.gas_used
        ));
        if let Some(r) = record.contracts.get_mut(contract.key()) {
            r.activation = Some(ActivationRecord {
                version,
                data_fee,
                tx: Some(receipt.transaction_hash),
                gas_used: receipt.gas_used,
            });
        }
        Self::save(record, file)?;
        steps.push(StepLog {
            contract,
            action: "activate".into(),
            outcome: Outcome::Sent {
                tx: receipt.transaction_hash,
                gas_used: receipt.gas_used,
            },
            elapsed,
        });
        Ok(())
    }

    pub(super) async fn ensure_setup(
        &self,
        contract: SuiteContract,
        record: &mut Deployments,
        file: Option<&Path>,
        steps: &mut Vec<StepLog>,
    ) -> Result<()> {
        let address = record
            .address(contract)
            .ok_or_else(|| anyhow!("{} is not deployed", contract.key()))?;
        for name in setup_steps(contract) {
            let recorded = record
                .get(contract)
                .is_some_and(|r| r.setup.iter().any(|s| s.step == *name));
            let step = self.progress.start(format!("{name} {}", contract.label()));
            let done_onchain = recorded || self.setup_done(contract, name, address, record).await;
            if done_onchain {
                if !recorded && contract == SuiteContract::Vault && *name == "add_reward" {
                    if let Err(e) = self.check_vault_owner(address).await {
                        step.fail("");
                        return Err(e);
                    }
                }
                let elapsed = step.done("already done");
                if !recorded {
                    let output = self.setup_output(contract, name, record).await;
                    if let Some(r) = record.contracts.get_mut(contract.key()) {
                        r.setup.push(SetupRecord {
                            step: (*name).into(),
                            tx: None,
                            gas_used: 0,
                            output,
                        });
                    }
                    Self::save(record, file)?;
                }
                steps.push(StepLog {
                    contract,
                    action: (*name).into(),
                    outcome: Outcome::Skipped("already done".into()),
                    elapsed,
                });
                continue;
            }
            let receipt = match self.send_setup(contract, name, address, record).await {
                Ok(r) => r,
                Err(e) => {
                    step.fail("");
                    return Err(e.context(format!("{name} of {}", contract.key())));
                }
            };
            let output = self.setup_output(contract, name, record).await;
            let elapsed = step.done(match &output {
                Some(o) => format!("{o}, gas {}", receipt.gas_used),
                None => format!("gas {}", receipt.gas_used),
            });
            if let Some(r) = record.contracts.get_mut(contract.key()) {
                r.setup.push(SetupRecord {
                    step: (*name).into(),
                    tx: Some(receipt.transaction_hash),
                    gas_used: receipt.gas_used,
                    output,
                });
            }
            Self::save(record, file)?;
            steps.push(StepLog {
                contract,
                action: (*name).into(),
                outcome: Outcome::Sent {
                    tx: receipt.transaction_hash,
                    gas_used: receipt.gas_used,
                },
                elapsed,
            });
        }
        Ok(())
    }
}
