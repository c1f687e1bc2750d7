//! staking-vault
