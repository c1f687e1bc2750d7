//! Stylus Yield royalty NFT: an ERC-721 collection (metadata, ERC-165, ERC-4906) with a primary
//! sale, ERC-2981 royalties paid **to the collection itself**, and a royalty split between NFT
//! holders (through the shared reward module) and creator recipients (a pull ledger).
//!
//! # Design decisions
//! * **Atomic deployment**: `#[constructor](adminFacet, configFacet, init)` run by the
//!   StylusDeployer in the deployment transaction: it checks both facets and delegatecalls `init`
//!   into the config facet; `init` must be an
//!   ABI-encoded `initialize(name, symbol, owner, weth, recipients, shares, holderShareBps,
//!   royaltyBps, rewardsFacet)` (the initialisation code lives in the config facet for size).
//!   `initialize` refuses to run again once WETH is set; nothing to front-run.
//! * **ERC-721 as OpenZeppelin v5 does it** (errors, events, rules): approvals are cleared on every
//!   transfer and burn; an operator may `approve`; `safeTransferFrom` calls
//!   `onERC721Received(operator, from, tokenId, data)` with the caller's `data` **after** the
//!   state is final and requires the exact magic `0x150b7a02` (a revert with data is bubbled, an
//!   empty revert, a wrong value or missing code on the callee's side is
//!   `ERC721InvalidReceiver(to)`); mints to a contract make the same check with empty data.
//! * **Batch mint, ERC721A-style ownership**: token ids are sequential from 1. A mint of `n`
//!   tokens writes one ownership word (at the batch's first id), one balance word and `n`
//!   `Transfer` events. `ownerOf(id)` is the nearest written word at or below `id`; a transfer or
//!   burn of `id` writes `id`'s word and, if `id + 1` exists and has none, gives `id + 1` the old
//!   owner, which keeps that rule true. A batch is at most [`MAX_BATCH`] tokens, so `ownerOf`
//!   reads at most `MAX_BATCH` words. Burned tokens keep their word with a burned bit.
//! * **Primary sale**: price, max supply, per-wallet limit (public phase) and windows
//!   (`allowlistStart ≤ t < saleEnd` for the allowlist, `publicStart ≤ t < saleEnd` for the public
//!   mint; 0 = phase off). The allowlist leaf is OpenZeppelin `StandardMerkleTree`'s
//!   `keccak256(bytes.concat(keccak256(abi.encode(account, allowance))))` over the caller, so a
//!   proof is useless to any other address (`mintAllowlist` is served by the admin facet).
//!   All checks precede all effects. Overpayment is refunded to the payer last; proceeds
//!   are credited to the creator ledger before any external call.
//! * **ERC-2981**: `royaltyInfo(id, price) = (address(this), ⌊price · bps / 10⁴⌋)` with a default
//!   and per-token `bps` of at most 9,999, so `amount < price` for every non-zero price (the
//!   Manifold royalty engine rejects `amount ≥ price`); one or two storage reads. **ERC-2981 is
//!   advisory**: nothing on-chain makes a marketplace pay, and wrapping, OTC trades and
//!   non-compliant marketplaces skip royalties; enforcing them would need transfer restrictions
//!   that break composability, which this collection does not impose.
//! * **Royalties in**: ETH sent to the collection (`receive`) is accounted at once; ERC-20
//!   royalties (and any ETH that arrived without a call) are accounted by the permissionless
//!   `distributeRoyalties(token)` (zero = ETH), which takes the **balance delta**: what the
//!   contract holds beyond what it already owes in that token (`bookedBalance(token)`, the booked
//!   liabilities: creator ledger + holder rewards + dust). Fee-on-transfer tokens are credited
//!   what arrived. An ERC-20 must be a reward token of the collection (the owner registers it with
//!   `addReward`), which caps royalty tokens at the module's 8 and shields them from
//!   `recoverERC20`.
//! * **Split**: holders receive `⌊amount · holderShareBps / 10⁴⌋` (owner-set, ≤ 10⁴, applies to
//!   amounts accounted afterwards); creators the rest, in fixed shares set at construction
//!   (1..=8 distinct recipients, shares summing to exactly 10⁴ bps). See [`split`] for the
//!   dust rule (< n wei per token over the collection's lifetime, kept by the contract).
//! * **Holders through the reward module**: source 0, weight = tokens held, checkpointed before
//!   every mint, transfer and burn. The holders' part is funded with the module's `distribute`
//!   policy (streamed over at least one day, never shortening a running stream), so a buyer after
//!   a distribution earns only from its purchase on and a holder who buys just before one earns
//!   only its time-weighted part. The module streams ERC-20s, so ETH royalties' holder part is
//!   wrapped into WETH (constructor argument, registered as the first reward token).
//! * **Pull payments**: creators (or anyone for them) call `withdraw(token, recipient)`; holders
//!   `claim`. One recipient that reverts only fails its own withdrawal.
//! * **Reentrancy**: the collection has its own entry point without the SDK's blanket (empty
//!   revert) denial, so ERC-721 receivers may read the collection and move tokens in their
//!   callback (as in Solidity). Every money path (mints, `receive`, `distributeRoyalties`,
//!   `withdraw`, and every reward call through the fallback) reverts `ReentrantCall()` when
//!   Nitro reports the call as reentrant (`msg_reentrant`); all state is final before any
//!   callback, refund or payment.
//! * **Four programs, one collection (size)**: ERC-721 + sale + royalty split + the reward ABI
//!   do not fit 24,576 deployable bytes (one program measured 34,827; collection + one admin
//!   facet 23,267 + 30,887). The collection program keeps the hot paths: ERC-721 (transfers,
//!   safe transfers, approvals, burn, with the reward checkpoint inline), ERC-165, name/symbol,
//!   `royaltyInfo`, the public `mint` and `receive`. Its fallback delegatecalls the **admin
//!   facet** ([`INftAdmin`]: `mintAllowlist`, sale and split views, `distributeRoyalties`,
//!   `withdraw`; feature `admin-facet`), whose fallback delegatecalls the **config facet**
//!   ([`INftConfig`]: `initialize`, `tokenURI`/`baseURI`, owner settings, ownership; feature
//!   `config-facet`), whose fallback delegatecalls the **rewards facet** (`IRewards`; feature
//!   `rewards-facet`), as the staking vault and the liquidity pool reach theirs. All run on the
//!   collection's storage at its address. Each facet is accepted only if it has code and
//!   answers its own identity call (`adminFacetVersion()`, `configFacetVersion()`,
//!   `rewardsFacetVersion()`) with [`FACET_VERSION`]; code hashes are recorded. `receive`
//!   delegatecalls the admin facet's `distributeRoyalties(address(0))`. Each hop costs one
//!   program entry (plus a cold account the first time).
//! * **Unit tests** run every function directly on one storage (no features); the external
//!   world (ETH, ERC-20s, receivers) is a ledger (`tests::world`), and calls expected to revert
//!   run on a VM copy (TestVM keeps storage written before an error; the chain rolls it back).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
#![cfg_attr(
    any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "config-facet"
    ),
    allow(unused_imports, dead_code)
)]

extern crate alloc;

pub mod errors;
mod ext;
pub mod merkle;
pub mod split;
pub mod strings;

#[cfg(all(
    test,
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "config-facet"
    ))
))]
mod tests;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{fixed_bytes, Address, FixedBytes, Uint, B256, U256};
use alloy_sol_types::{sol, SolCall};
use kit::ownable::{IOwnable, Ownable, OwnableHost};
use rewards::{IRewards, Rewards, RewardsHost, DEFAULT_SOURCE};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU16, StorageU256, StorageU32,
        StorageU64, StorageVec,
    },
    ArbResult,
};

pub use errors::*;
use split::BPS;
use strings::LongString;

/// Storage-layout id of the collection's rewards facet (bump it whenever the layout changes).
pub const FACET_VERSION: B256 = B256::new(*b"stylus-yield nft facet v1\0\0\0\0\0\0\0");

/// [`RoyaltyNft::install_facet`] kinds (also the `kind` of `FacetSet`).
pub const FACET_ADMIN: u8 = 0;
/// The config facet kind.
pub const FACET_CONFIG: u8 = 1;
/// The rewards facet kind.
pub const FACET_REWARDS: u8 = 2;

/// Most tokens one mint call creates (bounds `ownerOf`'s backward scan).
pub const MAX_BATCH: u64 = 32;

/// Highest royalty in basis points: `amount < price` for every non-zero price.
pub const MAX_ROYALTY_BPS: u64 = BPS - 1;

/// ERC-4906 interface id.
pub const IERC4906: FixedBytes<4> = fixed_bytes!("49064906");

/// `IERC721Receiver.onERC721Received.selector`.
pub const ERC721_RECEIVED: [u8; 4] = [0x15, 0x0b, 0x7a, 0x02];

/// Burned bit of an ownership word (bit 160, above the owner address).
const BURNED: U256 = U256::from_limbs([0, 0, 1 << 32, 0]);

sol! {
    /// The ERC-721 receiver hook.
    interface IERC721Receiver {
        function onERC721Received(address operator, address from, uint256 tokenId, bytes data) external returns (bytes4);
    }
    /// What the collection asks WETH.
    interface IWETH9 {
        function deposit() external payable;
    }
    /// The rewards facet's identity.
    interface IRewardsFacet {
        function rewardsFacetVersion() external view returns (bytes32);
    }
    /// The admin facet's identity and the royalty accounting `receive` delegates to it.
    interface IAdminFacet {
        function adminFacetVersion() external view returns (bytes32);
        function configFacetVersion() external view returns (bytes32);
        function distributeRoyalties(address token) external payable returns (uint256);
        function initialize(string name, string symbol, address owner, address weth, address[] recipients, uint256[] shares, uint256 holderShareBps, uint256 royaltyBps, address rewardsFacet) external;
    }
}

/// Solidity declarations of every event the collection address emits (its own, ownership and,
/// through the facet, the reward module's), for ABI export.
#[cfg(feature = "export-abi")]
pub fn events_sol() -> impl Iterator<Item = &'static str> {
    let host: &[&[&str]] = if cfg!(feature = "rewards-facet") {
        &[]
    } else {
        &[errors::EVENTS_SOL, kit::ownable::EVENTS_SOL]
    };
    host.iter()
        .chain(core::iter::once(&rewards::EVENTS_SOL))
        .flat_map(|list| list.iter().copied())
}

/// Per-account counters, one slot: balance and what the account minted in each phase.
#[storage]
pub struct AccountData {
    balance: StorageU64,
    public_minted: StorageU32,
    allowlist_minted: StorageU32,
}

/// A creator recipient and its share in basis points (one slot).
#[storage]
pub struct Creator {
    account: StorageAddress,
    share: StorageU16,
}

/// The collection's storage. (No `#[entrypoint]`: see [`user_entrypoint`] and the crate docs.)
#[storage]
pub struct RoyaltyNft {
    ownable: Ownable,
    rewards: Rewards,
    name: StorageB256,
    symbol: StorageB256,
    /// Ownership words: owner address | [`BURNED`], written at batch starts and on transfers.
    owners: StorageMap<U256, StorageU256>,
    accounts: StorageMap<Address, AccountData>,
    token_approvals: StorageMap<U256, StorageAddress>,
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// Tokens ever minted (ids `1..=minted`) and burned: one slot.
    minted: StorageU64,
    burned: StorageU64,
    /// Sale configuration (`price` alone, the rest packed in two slots).
    price: StorageU256,
    max_supply: StorageU64,
    wallet_limit: StorageU32,
    allowlist_start: StorageU64,
    public_start: StorageU64,
    sale_end: StorageU64,
    default_royalty_bps: StorageU16,
    holder_bps: StorageU16,
    allowlist_root: StorageB256,
    /// Per-token royalty: bps + 1 (0: the default applies).
    token_royalty: StorageMap<U256, StorageU16>,
    base_uri: LongString,
    token_uris: StorageMap<U256, LongString>,
    weth: StorageAddress,
    creators: StorageVec<Creator>,
    /// Cumulative creator amount per token (zero address: ETH).
    creator_total: StorageMap<Address, StorageU256>,
    /// Withdrawn per token, per recipient.
    withdrawn: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Booked liabilities per token: what the contract holds for creators, holders and dust.
    held: StorageMap<Address, StorageU256>,
    rewards_facet: StorageAddress,
    rewards_facet_codehash: StorageB256,
    admin_facet: StorageAddress,
    admin_facet_codehash: StorageB256,
    config_facet: StorageAddress,
    config_facet_codehash: StorageB256,
}

// SAFETY: `RoyaltyNft` is the program's only top-level storage (what `#[entrypoint]` declares).
unsafe impl stylus_sdk::stylus_core::storage::TopLevelStorage for RoyaltyNft {}

/// The program's entry point: the SDK's router without its blanket reentrancy denial (see the
/// crate docs; money paths check `msg_reentrant` themselves).
#[cfg(all(target_arch = "wasm32", not(feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn user_entrypoint(len: usize) -> usize {
    let host = stylus_sdk::host::VM {
        host: stylus_sdk::host::WasmVM {},
    };
    // Referenced so that activation can insert its memory-growth charges (what the SDK does).
    host.pay_for_memory_grow(0);
    let input = host.read_args(len);
    let (data, status) =
        match stylus_sdk::abi::router_entrypoint::<RoyaltyNft, RoyaltyNft>(input, host.clone()) {
            Ok(data) => (data, 0),
            Err(data) => (data, 1),
        };
    host.flush_cache(false);
    host.write_result(&data);
    status
}

impl OwnableHost for RoyaltyNft {
    type Error = NftError;

    fn ownable(&self) -> &Ownable {
        &self.ownable
    }
    fn ownable_mut(&mut self) -> &mut Ownable {
        &mut self.ownable
    }
}

impl RewardsHost for RoyaltyNft {
    fn rewards(&self) -> &Rewards {
        &self.rewards
    }
    fn rewards_mut(&mut self) -> &mut Rewards {
        &mut self.rewards
    }
    fn reward_balance_of(&self, _source: U256, account: Address) -> U256 {
        U256::from(self.accounts.getter(account).balance.get().to::<u64>())
    }
    fn reward_total_supply(&self, _source: U256) -> U256 {
        U256::from(self.total_supply_u64())
    }
    fn reward_admin(&self) -> Address {
        self.ownable.owner()
    }
    fn principal_tokens(&self) -> Vec<Address> {
        Vec::new()
    }
    /// Owner or distributor funding (`notifyRewardAmount`, `distribute`): books what arrived, so
    /// it is never mistaken for a royalty by `distributeRoyalties`.
    fn pull_reward(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        let received = self.ext_pull_erc20(token, from, amount)?;
        self.book(token, received, true)
            .map_err(|_| RewardsError::from(rewards::math::MathError::Overflow))?;
        Ok(received)
    }
    /// A holder's claim: books the outflow, then pays.
    fn pay_reward(
        &mut self,
        token: Address,
        to: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        self.book(token, amount, false)
            .map_err(|_| RewardsError::from(rewards::math::MathError::Overflow))?;
        self.ext_send_erc20(token, to, amount)
    }
    #[cfg(all(
        test,
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "config-facet"
        ))
    ))]
    fn held_balance(&self, token: Address) -> Result<U256, RewardsError> {
        Ok(tests::world::erc20_balance(
            token,
            self.vm().contract_address(),
        ))
    }
}

kit::impl_ownable!(RoyaltyNft);
rewards::impl_rewards_abi!(RoyaltyNft);

fn word_owner(w: U256) -> Address {
    Address::from_word(B256::from(w & (BURNED - U256::from(1u8))))
}

fn owner_word(owner: Address) -> U256 {
    U256::from_be_bytes(owner.into_word().0)
}

fn u64_of(x: U256) -> Option<u64> {
    if x > U256::from(u64::MAX) {
        None
    } else {
        Some(x.to::<u64>())
    }
}

/// Internal logic (ERC-721 core, sale, split ledger).
impl RoyaltyNft {
    fn non_reentrant(&self) -> Result<(), NftError> {
        if self.vm().msg_reentrant() {
            return Err(nft_err!(ReentrantCall));
        }
        Ok(())
    }

    fn only_owner(&self) -> Result<(), NftError> {
        Ok(self.ownable.only_owner()?)
    }

    fn total_supply_u64(&self) -> u64 {
        // burned <= minted always.
        self.minted.get().to::<u64>() - self.burned.get().to::<u64>()
    }

    fn balance_u64(&self, account: Address) -> u64 {
        self.accounts.getter(account).balance.get().to::<u64>()
    }

    fn set_balance(&mut self, account: Address, balance: u64) {
        self.accounts
            .setter(account)
            .balance
            .set(Uint::<64, 1>::from(balance));
    }

    /// Owner of an existing `id`, from the nearest ownership word at or below it.
    fn owner_of_id(&self, id: U256) -> Result<Address, NftError> {
        let missing = || nft_err!(ERC721NonexistentToken { tokenId: id });
        let n = u64_of(id).ok_or_else(missing)?;
        if n == 0 || n > self.minted.get().to::<u64>() {
            return Err(missing());
        }
        let mut i = n;
        loop {
            let w = self.owners.get(U256::from(i));
            if !w.is_zero() {
                // A burned word only ever answers for itself (a burn initialises `id + 1`).
                if w & BURNED != U256::ZERO {
                    return Err(missing());
                }
                return Ok(word_owner(w));
            }
            // `owners[1]` is always written (the first batch starts there).
            i -= 1;
        }
    }

    fn is_operator(&self, owner: Address, operator: Address) -> bool {
        self.operators.getter(owner).get(operator)
    }

    fn authorized(&self, owner: Address, spender: Address, id: U256) -> bool {
        spender == owner
            || self.is_operator(owner, spender)
            || self.token_approvals.get(id) == spender
    }

    /// Gives `id + 1` its owner word if it exists and has none (keeps the lazy rule true when
    /// `id`'s word changes).
    fn init_next(&mut self, id: U256, owner: Address) {
        let next = id + U256::from(1u8);
        if next <= U256::from(self.minted.get().to::<u64>()) && self.owners.get(next).is_zero() {
            self.owners.setter(next).set(owner_word(owner));
        }
    }

    fn clear_approval(&mut self, id: U256) {
        if !self.token_approvals.get(id).is_zero() {
            self.token_approvals.setter(id).set(Address::ZERO);
        }
    }

    /// Moves `id` from `from` to `to` after the caller's checks; checkpoints both holders first.
    fn move_token(&mut self, from: Address, to: Address, id: U256) -> Result<(), NftError> {
        let spender = self.vm().msg_sender();
        if to.is_zero() {
            return Err(nft_err!(ERC721InvalidReceiver { receiver: to }));
        }
        let owner = self.owner_of_id(id)?;
        if owner != from {
            return Err(nft_err!(ERC721IncorrectOwner {
                sender: from,
                tokenId: id,
                owner,
            }));
        }
        if !self.authorized(owner, spender, id) {
            return Err(nft_err!(ERC721InsufficientApproval {
                operator: spender,
                tokenId: id,
            }));
        }
        self.checkpoint_rewards(DEFAULT_SOURCE, &[from, to])?;
        self.clear_approval(id);
        self.owners.setter(id).set(owner_word(to));
        self.init_next(id, from);
        if from != to {
            let (bf, bt) = (self.balance_u64(from), self.balance_u64(to));
            self.set_balance(from, bf - 1);
            self.set_balance(to, bt + 1);
        }
        self.vm().log(Transfer {
            from,
            to,
            tokenId: id,
        });
        Ok(())
    }

    /// The ERC-721 receiver check on `to` (skipped for accounts without code).
    fn check_received(
        &mut self,
        from: Address,
        to: Address,
        id: U256,
        data: &[u8],
    ) -> Result<(), Vec<u8>> {
        if self.vm().code_size(to) == 0 {
            return Ok(());
        }
        let operator = self.vm().msg_sender();
        let call = IERC721Receiver::onERC721ReceivedCall {
            operator,
            from,
            tokenId: id,
            data: data.to_vec().into(),
        }
        .abi_encode();
        let invalid = || -> Vec<u8> { nft_err!(ERC721InvalidReceiver { receiver: to }).into() };
        match self.ext_call(to, &call) {
            Ok(ret)
                if ret.len() >= 32
                    && ret[..4] == ERC721_RECEIVED
                    && ret[4..32].iter().all(|b| *b == 0) =>
            {
                Ok(())
            }
            Ok(_) => Err(invalid()),
            Err(data) if !data.is_empty() => Err(data),
            Err(_) => Err(invalid()),
        }
    }

    /// Mints `quantity` tokens to `to` (ids `minted + 1 ..`); returns the first id.
    fn mint_batch(&mut self, to: Address, quantity: u64) -> Result<u64, NftError> {
        if to.is_zero() {
            return Err(nft_err!(ERC721InvalidReceiver { receiver: to }));
        }
        self.checkpoint_rewards(DEFAULT_SOURCE, &[to])?;
        let minted = self.minted.get().to::<u64>();
        let first = minted + 1;
        self.owners.setter(U256::from(first)).set(owner_word(to));
        self.minted.set(Uint::<64, 1>::from(minted + quantity));
        let b = self.balance_u64(to);
        self.set_balance(to, b + quantity);
        for id in first..first + quantity {
            self.vm().log(Transfer {
                from: Address::ZERO,
                to,
                tokenId: U256::from(id),
            });
        }
        Ok(first)
    }

    /// Checks a sale phase, mints, credits the proceeds, runs the receiver checks and refunds.
    fn sale_mint(
        &mut self,
        to: Address,
        quantity: U256,
        allowlist: Option<(U256, Vec<B256>)>,
    ) -> Result<(), Vec<u8>> {
        self.non_reentrant()?;
        let now = self.vm().block_timestamp();
        let payer = self.vm().msg_sender();
        let end = self.sale_end.get().to::<u64>();
        let start = if allowlist.is_some() {
            self.allowlist_start.get().to::<u64>()
        } else {
            self.public_start.get().to::<u64>()
        };
        if start == 0 || now < start || now >= end {
            return Err(nft_err!(SaleNotActive).into());
        }
        let q = match u64_of(quantity) {
            Some(q) if (1..=MAX_BATCH).contains(&q) => q,
            _ => return Err(nft_err!(SaleInvalidQuantity { quantity }).into()),
        };
        let minted = self.minted.get().to::<u64>();
        let remaining = self.max_supply.get().to::<u64>().saturating_sub(minted);
        if q > remaining {
            return Err(nft_err!(SaleMaxSupplyExceeded {
                quantity,
                remaining: U256::from(remaining),
            })
            .into());
        }
        let is_allowlist = allowlist.is_some();
        // Checks first; the counter is written with the other effects.
        let (counted, count) = match allowlist {
            Some((allowance, proof)) => {
                let root = self.allowlist_root.get();
                if root.is_zero() || !merkle::verify(&proof, root, merkle::leaf(payer, allowance)) {
                    return Err(nft_err!(SaleInvalidProof {
                        account: payer,
                        allowance,
                    })
                    .into());
                }
                let used = self
                    .accounts
                    .getter(payer)
                    .allowlist_minted
                    .get()
                    .to::<u32>();
                let total = U256::from(used) + quantity;
                if total > allowance {
                    return Err(nft_err!(SaleWalletLimitExceeded {
                        wallet: payer,
                        limit: allowance,
                    })
                    .into());
                }
                (payer, total.to::<u32>())
            }
            None => {
                let limit = self.wallet_limit.get().to::<u32>() as u64;
                let used = self.accounts.getter(to).public_minted.get().to::<u32>() as u64;
                if limit != 0 && used + q > limit {
                    return Err(nft_err!(SaleWalletLimitExceeded {
                        wallet: to,
                        limit: U256::from(limit),
                    })
                    .into());
                }
                (to, (used + q) as u32)
            }
        };
        let cost = kit::math::checked_mul(self.price.get(), quantity).map_err(NftError::from)?;
        let sent = self.vm().msg_value();
        if sent < cost {
            return Err(nft_err!(SaleInsufficientPayment {
                required: cost,
                sent,
            })
            .into());
        }
        // Effects: counter, proceeds and tokens booked before any external call.
        let mut acct = self.accounts.setter(counted);
        if is_allowlist {
            acct.allowlist_minted.set(Uint::<32, 1>::from(count));
        } else {
            acct.public_minted.set(Uint::<32, 1>::from(count));
        }
        self.credit_creators(Address::ZERO, cost)?;
        let first = self.mint_batch(to, q)?;
        self.vm().log(Minted {
            minter: payer,
            to,
            quantity,
            paid: cost,
            allowlist: is_allowlist,
        });
        for id in first..first + q {
            self.check_received(Address::ZERO, to, U256::from(id), &[])?;
        }
        let refund = sent - cost;
        if !refund.is_zero() && !self.ext_send_eth(payer, refund) {
            return Err(nft_err!(EthTransferFailed {
                to: payer,
                amount: refund,
            })
            .into());
        }
        Ok(())
    }

    /// Books `amount` of `token` in (`inflow`) or out of the held liabilities.
    fn book(&mut self, token: Address, amount: U256, inflow: bool) -> Result<(), NftError> {
        let h = self.held.get(token);
        let v = if inflow {
            kit::math::checked_add(h, amount)?
        } else {
            kit::math::checked_sub(h, amount)?
        };
        self.held.setter(token).set(v);
        Ok(())
    }

    fn credit_creators(&mut self, token: Address, amount: U256) -> Result<(), NftError> {
        if amount.is_zero() {
            return Ok(());
        }
        let c = kit::math::checked_add(self.creator_total.get(token), amount)?;
        self.creator_total.setter(token).set(c);
        self.book(token, amount, true)
    }

    /// Accounts what arrived in `token` (zero: ETH) beyond the held liabilities: the holders'
    /// part streamed through the reward module (ETH wrapped first), the rest to creators.
    fn distribute_inner(&mut self, token: Address) -> Result<U256, NftError> {
        let balance = if token.is_zero() {
            self.ext_eth_balance()
        } else {
            if !self.rewards.is_reward(DEFAULT_SOURCE, token) {
                return Err(nft_err!(RoyaltyTokenUnknown { token }));
            }
            self.ext_erc20_balance(token)?
        };
        let amount = balance.saturating_sub(self.held.get(token));
        if amount.is_zero() {
            return Ok(amount);
        }
        let (to_holders, to_creators) =
            split::split_holders(amount, self.holder_bps.get().to::<u64>())?;
        if !to_holders.is_zero() {
            let reward = if token.is_zero() {
                let weth = self.weth.get();
                self.ext_wrap(weth, to_holders)?;
                weth
            } else {
                token
            };
            self.book(reward, to_holders, true)?;
            let (now, supply) = (
                self.vm().block_timestamp(),
                self.reward_total_supply(DEFAULT_SOURCE),
            );
            self.rewards
                .fund(DEFAULT_SOURCE, now, supply, reward, to_holders, true)?;
        }
        self.credit_creators(token, to_creators)?;
        self.vm().log(RoyaltyDistributed {
            token,
            amount,
            toHolders: to_holders,
            toCreators: to_creators,
        });
        Ok(amount)
    }

    fn creator_share(&self, recipient: Address) -> Option<u64> {
        (0..self.creators.len()).find_map(|i| {
            let c = self.creators.get(i)?;
            (c.account.get() == recipient).then(|| c.share.get().to::<u64>())
        })
    }

    fn owed(&self, token: Address, recipient: Address) -> Result<U256, NftError> {
        let share = self
            .creator_share(recipient)
            .ok_or(nft_err!(SplitUnknownRecipient { account: recipient }))?;
        let entitled = split::entitlement(self.creator_total.get(token), share)?;
        Ok(entitled.saturating_sub(self.withdrawn.getter(token).get(recipient)))
    }

    fn valid_royalty(bps: U256) -> Option<u16> {
        (bps <= U256::from(MAX_ROYALTY_BPS)).then(|| bps.to::<u16>())
    }

    /// Accepts `facet` as the admin ([`FACET_ADMIN`]), config ([`FACET_CONFIG`]) or rewards
    /// ([`FACET_REWARDS`]) facet: it must have code and answer its own identity call with
    /// [`FACET_VERSION`] (a facet of one kind has no identity function of another, so they
    /// cannot be swapped); records its code hash.
    pub(crate) fn install_facet(&mut self, facet: Address, kind: u8) -> Result<(), NftError> {
        let bad = || nft_err!(NftInvalidDependency { account: facet });
        if facet.is_zero() || self.vm().code_size(facet) == 0 {
            return Err(bad());
        }
        let call = match kind {
            FACET_ADMIN => IAdminFacet::adminFacetVersionCall {}.abi_encode(),
            FACET_CONFIG => IAdminFacet::configFacetVersionCall {}.abi_encode(),
            _ => IRewardsFacet::rewardsFacetVersionCall {}.abi_encode(),
        };
        match self.ext_static_call(facet, &call) {
            Ok(ret) if ret.len() == 32 && ret[..] == FACET_VERSION[..] => {}
            _ => return Err(bad()),
        }
        let codehash = self.vm().code_hash(facet);
        match kind {
            FACET_ADMIN => {
                self.admin_facet.set(facet);
                self.admin_facet_codehash.set(codehash);
            }
            FACET_CONFIG => {
                self.config_facet.set(facet);
                self.config_facet_codehash.set(codehash);
            }
            _ => {
                self.rewards_facet.set(facet);
                self.rewards_facet_codehash.set(codehash);
            }
        }
        self.vm().log(FacetSet {
            facet,
            codehash,
            kind,
        });
        Ok(())
    }

    /// `delegatecall` into `facet` with `calldata` (the SDK flushes and clears the storage cache
    /// around it).
    fn delegate(&mut self, facet: Address, calldata: &[u8]) -> ArbResult {
        let ctx = Call::new_mutating(self);
        // SAFETY: both facets are this crate's builds over the same storage layout (identity
        // checked at construction).
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }

    #[allow(clippy::too_many_arguments)]
    fn init(
        &mut self,
        name: &str,
        symbol: &str,
        owner: Address,
        weth: Address,
        recipients: &[Address],
        shares: &[U256],
        holder_share_bps: U256,
        royalty_bps: U256,
    ) -> Result<(), NftError> {
        self.ownable.initialize(owner)?;
        self.name.set(kit::short_string::encode_truncated(name));
        self.symbol.set(kit::short_string::encode_truncated(symbol));
        if weth.is_zero() || self.vm().code_size(weth) == 0 {
            return Err(nft_err!(NftInvalidDependency { account: weth }));
        }
        self.weth.set(weth);
        if !split::valid_split(recipients, shares) {
            return Err(nft_err!(SplitInvalid));
        }
        for (r, s) in recipients.iter().zip(shares) {
            let mut c = self.creators.grow();
            c.account.set(*r);
            c.share.set(Uint::<16, 1>::from(s.to::<u16>()));
        }
        self.set_holder_share_inner(holder_share_bps)?;
        self.set_default_royalty_inner(royalty_bps)?;
        let now = self.vm().block_timestamp();
        self.rewards.add_reward(
            DEFAULT_SOURCE,
            now,
            weth,
            Address::ZERO,
            U256::from(rewards::DISTRIBUTION_WINDOW),
        )?;
        Ok(())
    }

    fn set_holder_share_inner(&mut self, bps: U256) -> Result<(), NftError> {
        if bps > U256::from(BPS) {
            return Err(nft_err!(RoyaltyInvalidHolderShare { bps }));
        }
        self.holder_bps.set(Uint::<16, 1>::from(bps.to::<u16>()));
        self.vm().log(HolderShareSet { bps });
        Ok(())
    }

    fn set_default_royalty_inner(&mut self, bps: U256) -> Result<(), NftError> {
        let v = Self::valid_royalty(bps).ok_or(nft_err!(ERC2981InvalidDefaultRoyalty {
            numerator: bps,
            denominator: U256::from(BPS),
        }))?;
        self.default_royalty_bps.set(Uint::<16, 1>::from(v));
        self.vm().log(DefaultRoyaltySet { bps });
        Ok(())
    }
}

#[cfg(feature = "rewards-facet")]
#[public]
#[implements(IRewards)]
impl RoyaltyNft {
    /// Storage-layout id the collection checks before accepting this facet.
    pub fn rewards_facet_version(&self) -> B256 {
        FACET_VERSION
    }
}

/// The collection program: ERC-721, ERC-165, ERC-2981, the primary sale. (A plain impl in the
/// facet builds; unit tests call every method directly.)
#[cfg(not(any(
    feature = "rewards-facet",
    feature = "admin-facet",
    feature = "config-facet"
)))]
#[public]
impl RoyaltyNft {
    /// Deploys the collection: checks the admin and config facets, then runs `init` (an ABI-encoded
    /// `initialize(...)` call: name, symbol, owner, WETH, creator split, holder share, default
    /// royalty, rewards facet) in the config facet by delegatecall on this storage, in the deployment
    /// transaction. (The initialisation code lives in the config facet: the collection program
    /// must fit 24,576 bytes.)
    #[constructor]
    pub fn constructor(
        &mut self,
        admin_facet: Address,
        config_facet: Address,
        init: stylus_sdk::abi::Bytes,
    ) -> Result<(), Vec<u8>> {
        self.install_facet(admin_facet, FACET_ADMIN)?;
        self.install_facet(config_facet, FACET_CONFIG)?;
        if init.len() < 4 || init[..4] != IAdminFacet::initializeCall::SELECTOR {
            return Err(nft_err!(NftInvalidDependency {
                account: config_facet
            })
            .into());
        }
        #[cfg(not(test))]
        self.delegate(config_facet, &init)?;
        #[cfg(test)]
        {
            let c = IAdminFacet::initializeCall::abi_decode(&init).map_err(|_| Vec::new())?;
            INftConfig::initialize(
                self,
                c.name,
                c.symbol,
                c.owner,
                c.weth,
                c.recipients,
                c.shares,
                c.holderShareBps,
                c.royaltyBps,
                c.rewardsFacet,
            )?;
        }
        Ok(())
    }

    /// ERC-165: ERC-165, ERC-721, ERC-721 Metadata, ERC-2981 and ERC-4906.
    pub fn supports_interface(&self, interface_id: FixedBytes<4>) -> bool {
        kit::erc165::supports(
            interface_id,
            &[
                kit::erc165::IERC721,
                kit::erc165::IERC721_METADATA,
                kit::erc165::IERC2981,
                IERC4906,
            ],
        )
    }

    /// Collection name.
    pub fn name(&self) -> String {
        kit::short_string::decode(self.name.get())
    }

    /// Collection symbol.
    pub fn symbol(&self) -> String {
        kit::short_string::decode(self.symbol.get())
    }

    /// Tokens in existence (minted − burned).
    pub fn total_supply(&self) -> U256 {
        U256::from(self.total_supply_u64())
    }

    /// Tokens held by `owner` (reverts for the zero address).
    pub fn balance_of(&self, owner: Address) -> Result<U256, NftError> {
        if owner.is_zero() {
            return Err(nft_err!(ERC721InvalidOwner { owner }));
        }
        Ok(U256::from(self.balance_u64(owner)))
    }

    /// Owner of `token_id` (reverts if it does not exist).
    pub fn owner_of(&self, token_id: U256) -> Result<Address, NftError> {
        self.owner_of_id(token_id)
    }

    /// Approves `to` for `token_id` (owner or operator; zero clears).
    pub fn approve(&mut self, to: Address, token_id: U256) -> Result<(), NftError> {
        let owner = self.owner_of_id(token_id)?;
        let caller = self.vm().msg_sender();
        if caller != owner && !self.is_operator(owner, caller) {
            return Err(nft_err!(ERC721InvalidApprover { approver: caller }));
        }
        self.token_approvals.setter(token_id).set(to);
        self.vm().log(Approval {
            owner,
            approved: to,
            tokenId: token_id,
        });
        Ok(())
    }

    /// The approved account of `token_id` (reverts if it does not exist).
    pub fn get_approved(&self, token_id: U256) -> Result<Address, NftError> {
        self.owner_of_id(token_id)?;
        Ok(self.token_approvals.get(token_id))
    }

    /// (Dis)allows `operator` to manage all the caller's tokens.
    pub fn set_approval_for_all(
        &mut self,
        operator: Address,
        approved: bool,
    ) -> Result<(), NftError> {
        if operator.is_zero() {
            return Err(nft_err!(ERC721InvalidOperator { operator }));
        }
        let owner = self.vm().msg_sender();
        self.operators.setter(owner).setter(operator).set(approved);
        self.vm().log(ApprovalForAll {
            owner,
            operator,
            approved,
        });
        Ok(())
    }

    /// Whether `operator` manages all of `owner`'s tokens.
    pub fn is_approved_for_all(&self, owner: Address, operator: Address) -> bool {
        self.is_operator(owner, operator)
    }

    /// Moves `token_id` from `from` to `to` without the receiver check.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
    ) -> Result<(), NftError> {
        self.move_token(from, to, token_id)
    }

    /// Moves `token_id`, then requires `onERC721Received` on a contract `to` (empty data).
    #[selector(name = "safeTransferFrom")]
    pub fn safe_transfer_from(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
    ) -> Result<(), Vec<u8>> {
        self.move_token(from, to, token_id)?;
        self.check_received(from, to, token_id, &[])
    }

    /// Moves `token_id`, then requires `onERC721Received` on a contract `to`, forwarding `data`.
    #[selector(name = "safeTransferFrom")]
    pub fn safe_transfer_from_with_data(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
        data: stylus_sdk::abi::Bytes,
    ) -> Result<(), Vec<u8>> {
        self.move_token(from, to, token_id)?;
        self.check_received(from, to, token_id, &data)
    }

    /// Burns `token_id` (owner, approved or operator).
    pub fn burn(&mut self, token_id: U256) -> Result<(), NftError> {
        let owner = self.owner_of_id(token_id)?;
        let caller = self.vm().msg_sender();
        if !self.authorized(owner, caller, token_id) {
            return Err(nft_err!(ERC721InsufficientApproval {
                operator: caller,
                tokenId: token_id,
            }));
        }
        self.checkpoint_rewards(DEFAULT_SOURCE, &[owner])?;
        self.clear_approval(token_id);
        self.owners.setter(token_id).set(owner_word(owner) | BURNED);
        self.init_next(token_id, owner);
        let b = self.balance_u64(owner);
        self.set_balance(owner, b - 1);
        let burned = self.burned.get().to::<u64>();
        self.burned.set(Uint::<64, 1>::from(burned + 1));
        self.vm().log(Transfer {
            from: owner,
            to: Address::ZERO,
            tokenId: token_id,
        });
        Ok(())
    }

    /// `(address(this), ⌊salePrice · bps / 10⁴⌋)` with the token's royalty or the default.
    pub fn royalty_info(
        &self,
        token_id: U256,
        sale_price: U256,
    ) -> Result<(Address, U256), NftError> {
        let own = self.token_royalty.get(token_id).to::<u16>();
        let bps = if own != 0 {
            own - 1
        } else {
            self.default_royalty_bps.get().to::<u16>()
        };
        let amount = kit::math::mul_div_down(sale_price, U256::from(bps), U256::from(BPS))?;
        Ok((self.vm().contract_address(), amount))
    }

    /// Public mint of `quantity` (1..=32) tokens to `to` at `price` each; overpayment refunded.
    #[payable]
    pub fn mint(&mut self, to: Address, quantity: U256) -> Result<(), Vec<u8>> {
        self.sale_mint(to, quantity, None)
    }

    /// ETH royalties: accounted at once (`distributeRoyalties(address(0))` in the admin facet).
    #[receive]
    #[payable]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        self.non_reentrant()?;
        #[cfg(not(test))]
        {
            let call = IAdminFacet::distributeRoyaltiesCall {
                token: Address::ZERO,
            }
            .abi_encode();
            let facet = self.admin_facet.get();
            self.delegate(facet, &call)?;
        }
        #[cfg(test)]
        self.distribute_inner(Address::ZERO)?;
        Ok(())
    }

    /// Every other selector runs in the admin facet on this storage (and from there, the
    /// `IRewards` ABI in the rewards facet). Payable, so the facet's payable functions
    /// (`mintAllowlist`, `distributeRoyalties`) can be reached with ETH; each facet function
    /// still refuses value unless it is payable itself (the SDK's router checks `msg.value`,
    /// which a delegatecall keeps). Regression (`tests/tests/e2e/nft.rs`): a non-payable fallback
    /// reverted every allowlist mint with empty data.
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let facet = self.admin_facet.get();
        self.delegate(facet, calldata)
    }
}

/// The admin facet's ABI: metadata, sale and split views, royalty accounting, creator
/// withdrawals and owner settings (served by the admin facet through the collection's fallback).
#[public]
pub trait INftAdmin {
    /// Allowlist mint of `quantity` tokens to the caller, proven by the OpenZeppelin
    /// `StandardMerkleTree` leaf `(caller, allowance)`; at most `allowance` in total.
    #[payable]
    fn mint_allowlist(
        &mut self,
        quantity: U256,
        allowance: U256,
        proof: Vec<B256>,
    ) -> Result<(), Vec<u8>>;

    /// Tokens ever minted (the highest id).
    fn total_minted(&self) -> U256;

    /// (price, maxSupply, walletLimit, allowlistStart, publicStart, saleEnd).
    fn sale_config(&self) -> (U256, u64, u32, u64, u64, u64);

    /// The allowlist Merkle root.
    fn allowlist_root(&self) -> B256;

    /// (public, allowlist) tokens minted by `account`.
    fn minted_by(&self, account: Address) -> (u32, u32);

    /// Accounts what the collection holds in `token` (zero: ETH) beyond its booked liabilities
    /// as royalty: holders' share streamed through the reward module, the rest to creators.
    /// Permissionless (and payable: ETH sent along is royalty); returns the amount accounted.
    #[payable]
    fn distribute_royalties(&mut self, token: Address) -> Result<U256, NftError>;

    /// Pays `recipient` its creator balance in `token` (zero: ETH). Anyone may call it.
    fn withdraw(&mut self, token: Address, recipient: Address) -> Result<U256, Vec<u8>>;

    /// What `recipient` can withdraw now in `token` (zero: ETH).
    fn creator_owed(&self, token: Address, recipient: Address) -> Result<U256, NftError>;

    /// Cumulative amount credited to creators in `token` (zero: ETH).
    fn creator_total(&self, token: Address) -> U256;

    /// The creator split: recipients and shares (bps).
    fn creators(&self) -> (Vec<Address>, Vec<U256>);

    /// Booked liabilities in `token` (zero: ETH): what `distributeRoyalties` does not count.
    fn booked_balance(&self, token: Address) -> U256;

    /// Holders' share of royalties, bps.
    fn holder_share_bps(&self) -> U256;

    /// WETH (holders' ETH royalties are streamed as WETH).
    #[selector(name = "weth")]
    fn weth_address(&self) -> Address;

    /// The rewards facet.
    fn rewards_facet(&self) -> Address;

    /// Code hash of the rewards facet, recorded at construction.
    fn rewards_facet_codehash(&self) -> B256;

    /// The config facet.
    fn config_facet(&self) -> Address;

    /// Code hash of the config facet, recorded at construction.
    fn config_facet_codehash(&self) -> B256;

    /// The admin facet.
    fn admin_facet(&self) -> Address;

    /// Code hash of the admin facet, recorded at construction.
    fn admin_facet_codehash(&self) -> B256;
}

#[public]
impl INftAdmin for RoyaltyNft {
    #[payable]
    fn mint_allowlist(
        &mut self,
        quantity: U256,
        allowance: U256,
        proof: Vec<B256>,
    ) -> Result<(), Vec<u8>> {
        let to = self.vm().msg_sender();
        self.sale_mint(to, quantity, Some((allowance, proof)))
    }

    fn total_minted(&self) -> U256 {
        U256::from(self.minted.get().to::<u64>())
    }

    fn sale_config(&self) -> (U256, u64, u32, u64, u64, u64) {
        (
            self.price.get(),
            self.max_supply.get().to(),
            self.wallet_limit.get().to(),
            self.allowlist_start.get().to(),
            self.public_start.get().to(),
            self.sale_end.get().to(),
        )
    }

    fn allowlist_root(&self) -> B256 {
        self.allowlist_root.get()
    }

    fn minted_by(&self, account: Address) -> (u32, u32) {
        let a = self.accounts.getter(account);
        (a.public_minted.get().to(), a.allowlist_minted.get().to())
    }

    #[payable]
    fn distribute_royalties(&mut self, token: Address) -> Result<U256, NftError> {
        self.non_reentrant()?;
        self.distribute_inner(token)
    }

    fn withdraw(&mut self, token: Address, recipient: Address) -> Result<U256, Vec<u8>> {
        self.non_reentrant()?;
        let amount = self.owed(token, recipient)?;
        if amount.is_zero() {
            return Ok(amount);
        }
        let w = self.withdrawn.getter(token).get(recipient) + amount;
        self.withdrawn.setter(token).setter(recipient).set(w);
        self.book(token, amount, false)?;
        if token.is_zero() {
            if !self.ext_send_eth(recipient, amount) {
                return Err(nft_err!(EthTransferFailed {
                    to: recipient,
                    amount,
                })
                .into());
            }
        } else {
            self.ext_send_erc20(token, recipient, amount)
                .map_err(NftError::from)?;
        }
        self.vm().log(CreatorWithdrawal {
            token,
            recipient,
            amount,
        });
        Ok(amount)
    }

    fn creator_owed(&self, token: Address, recipient: Address) -> Result<U256, NftError> {
        self.owed(token, recipient)
    }

    fn creator_total(&self, token: Address) -> U256 {
        self.creator_total.get(token)
    }

    fn creators(&self) -> (Vec<Address>, Vec<U256>) {
        (0..self.creators.len())
            .filter_map(|i| self.creators.get(i))
            .map(|c| (c.account.get(), U256::from(c.share.get().to::<u16>())))
            .unzip()
    }

    fn booked_balance(&self, token: Address) -> U256 {
        self.held.get(token)
    }

    fn holder_share_bps(&self) -> U256 {
        U256::from(self.holder_bps.get().to::<u16>())
    }

    #[selector(name = "weth")]
    fn weth_address(&self) -> Address {
        self.weth.get()
    }

    fn rewards_facet(&self) -> Address {
        self.rewards_facet.get()
    }

    fn rewards_facet_codehash(&self) -> B256 {
        self.rewards_facet_codehash.get()
    }

    fn config_facet(&self) -> Address {
        self.config_facet.get()
    }

    fn config_facet_codehash(&self) -> B256 {
        self.config_facet_codehash.get()
    }

    fn admin_facet(&self) -> Address {
        self.admin_facet.get()
    }

    fn admin_facet_codehash(&self) -> B256 {
        self.admin_facet_codehash.get()
    }
}

/// The config facet's ABI: initialisation, metadata and owner settings (served by the config
/// facet through the admin facet's fallback).
#[public]
pub trait INftConfig {
    /// Once, from the constructor (delegatecall): name, symbol, owner, WETH, creator split
    /// (`recipients`, `shares` in bps summing to 10,000), holder share and default royalty (bps),
    /// rewards facet. Refused once initialised.
    #[allow(clippy::too_many_arguments)]
    fn initialize(
        &mut self,
        name: String,
        symbol: String,
        owner: Address,
        weth: Address,
        recipients: Vec<Address>,
        shares: Vec<U256>,
        holder_share_bps: U256,
        royalty_bps: U256,
        rewards_facet: Address,
    ) -> Result<(), NftError>;

    /// The token's own URI if set, else the base URI followed by the decimal id (empty without
    /// a base URI).
    #[selector(name = "tokenURI")]
    fn token_uri(&self, token_id: U256) -> Result<String, NftError>;

    /// The base URI.
    #[selector(name = "baseURI")]
    fn base_uri(&self) -> String;

    /// Owner: sale configuration. `maxSupply ≥ totalMinted`; non-zero starts before `saleEnd`;
    /// `walletLimit` 0 = unlimited (public phase).
    fn set_sale_config(
        &mut self,
        price: U256,
        max_supply: u64,
        wallet_limit: u32,
        allowlist_start: u64,
        public_start: u64,
        sale_end: u64,
    ) -> Result<(), NftError>;

    /// Owner: the allowlist Merkle root (zero closes the allowlist).
    fn set_allowlist_root(&mut self, root: B256) -> Result<(), NftError>;

    /// Owner: the base URI (ERC-4906 `BatchMetadataUpdate(1, type(uint256).max)`).
    #[selector(name = "setBaseURI")]
    fn set_base_uri(&mut self, uri: String) -> Result<(), NftError>;

    /// Owner: the URI of one existing token (ERC-4906 `MetadataUpdate(tokenId)`); empty falls
    /// back to the base URI.
    #[selector(name = "setTokenURI")]
    fn set_token_uri(&mut self, token_id: U256, uri: String) -> Result<(), NftError>;

    /// Owner: default royalty (bps ≤ 9,999).
    fn set_default_royalty(&mut self, bps: U256) -> Result<(), NftError>;

    /// Owner: royalty of one token (bps ≤ 9,999), overriding the default.
    fn set_token_royalty(&mut self, token_id: U256, bps: U256) -> Result<(), NftError>;

    /// Owner: the token's royalty falls back to the default.
    fn reset_token_royalty(&mut self, token_id: U256) -> Result<(), NftError>;

    /// Owner: holders' share of royalties accounted from now on (bps ≤ 10,000).
    fn set_holder_share(&mut self, bps: U256) -> Result<(), NftError>;
}

#[public]
impl INftConfig for RoyaltyNft {
    #[allow(clippy::too_many_arguments)]
    fn initialize(
        &mut self,
        name: String,
        symbol: String,
        owner: Address,
        weth: Address,
        recipients: Vec<Address>,
        shares: Vec<U256>,
        holder_share_bps: U256,
        royalty_bps: U256,
        rewards_facet: Address,
    ) -> Result<(), NftError> {
        if !self.weth.get().is_zero() {
            return Err(nft_err!(NftInvalidDependency { account: weth }));
        }
        self.init(
            &name,
            &symbol,
            owner,
            weth,
            &recipients,
            &shares,
            holder_share_bps,
            royalty_bps,
        )?;
        self.install_facet(rewards_facet, FACET_REWARDS)
    }

    #[selector(name = "tokenURI")]
    fn token_uri(&self, token_id: U256) -> Result<String, NftError> {
        self.owner_of_id(token_id)?;
        let own = self.token_uris.getter(token_id);
        if !own.is_empty() {
            return Ok(own.get());
        }
        if self.base_uri.is_empty() {
            return Ok(String::new());
        }
        let mut s = self.base_uri.get();
        s.push_str(&strings::decimal(token_id.to::<u64>()));
        Ok(s)
    }

    #[selector(name = "baseURI")]
    fn base_uri(&self) -> String {
        self.base_uri.get()
    }

    fn set_sale_config(
        &mut self,
        price: U256,
        max_supply: u64,
        wallet_limit: u32,
        allowlist_start: u64,
        public_start: u64,
        sale_end: u64,
    ) -> Result<(), NftError> {
        self.only_owner()?;
        let bad_start = |s: u64| s != 0 && s >= sale_end;
        if max_supply < self.minted.get().to::<u64>()
            || bad_start(allowlist_start)
            || bad_start(public_start)
        {
            return Err(nft_err!(SaleInvalidConfig));
        }
        self.price.set(price);
        self.max_supply.set(Uint::<64, 1>::from(max_supply));
        self.wallet_limit.set(Uint::<32, 1>::from(wallet_limit));
        self.allowlist_start
            .set(Uint::<64, 1>::from(allowlist_start));
        self.public_start.set(Uint::<64, 1>::from(public_start));
        self.sale_end.set(Uint::<64, 1>::from(sale_end));
        self.vm().log(SaleConfigured {
            price,
            maxSupply: U256::from(max_supply),
            walletLimit: U256::from(wallet_limit),
            allowlistStart: U256::from(allowlist_start),
            publicStart: U256::from(public_start),
            saleEnd: U256::from(sale_end),
        });
        Ok(())
    }

    fn set_allowlist_root(&mut self, root: B256) -> Result<(), NftError> {
        self.only_owner()?;
        self.allowlist_root.set(root);
        self.vm().log(AllowlistRootSet { root });
        Ok(())
    }

    #[selector(name = "setBaseURI")]
    fn set_base_uri(&mut self, uri: String) -> Result<(), NftError> {
        self.only_owner()?;
        self.base_uri.set(&uri);
        self.vm().log(BatchMetadataUpdate {
            _fromTokenId: U256::from(1u8),
            _toTokenId: U256::MAX,
        });
        Ok(())
    }

    #[selector(name = "setTokenURI")]
    fn set_token_uri(&mut self, token_id: U256, uri: String) -> Result<(), NftError> {
        self.only_owner()?;
        self.owner_of_id(token_id)?;
        self.token_uris.setter(token_id).set(&uri);
        self.vm().log(MetadataUpdate { _tokenId: token_id });
        Ok(())
    }

    fn set_default_royalty(&mut self, bps: U256) -> Result<(), NftError> {
        self.only_owner()?;
        self.set_default_royalty_inner(bps)
    }

    fn set_token_royalty(&mut self, token_id: U256, bps: U256) -> Result<(), NftError> {
        self.only_owner()?;
        let v = Self::valid_royalty(bps).ok_or(nft_err!(ERC2981InvalidTokenRoyalty {
            tokenId: token_id,
            numerator: bps,
            denominator: U256::from(BPS),
        }))?;
        self.token_royalty
            .setter(token_id)
            .set(Uint::<16, 1>::from(v + 1));
        self.vm().log(TokenRoyaltySet {
            tokenId: token_id,
            bps,
            reset: false,
        });
        Ok(())
    }

    fn reset_token_royalty(&mut self, token_id: U256) -> Result<(), NftError> {
        self.only_owner()?;
        self.token_royalty.setter(token_id).set(Uint::<16, 1>::ZERO);
        self.vm().log(TokenRoyaltySet {
            tokenId: token_id,
            bps: U256::ZERO,
            reset: true,
        });
        Ok(())
    }

    fn set_holder_share(&mut self, bps: U256) -> Result<(), NftError> {
        self.only_owner()?;
        self.set_holder_share_inner(bps)
    }
}

impl RoyaltyNft {
    /// [`INftConfig`] and `IRewards`: run in the config facet (refused on a reentrant call).
    pub fn admin_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.non_reentrant()?;
        let facet = self.config_facet.get();
        self.delegate(facet, calldata)
    }

    /// `IRewards`: runs in the rewards facet (refused on a reentrant call).
    pub fn config_fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.non_reentrant()?;
        let facet = self.rewards_facet.get();
        self.delegate(facet, calldata)
    }
}

/// The admin facet program: [`INftAdmin`] and ownership; its fallback reaches the rewards facet.
#[cfg(feature = "admin-facet")]
#[public]
#[implements(INftAdmin)]
impl RoyaltyNft {
    /// Storage-layout id the collection checks before accepting this facet.
    pub fn admin_facet_version(&self) -> B256 {
        FACET_VERSION
    }

    /// [`INftConfig`] and `IRewards`: run in the config facet (refused on a reentrant call).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.admin_fallback(calldata)
    }
}

/// The config facet program: [`INftConfig`] and ownership; its fallback reaches the rewards
/// facet.
#[cfg(feature = "config-facet")]
#[public]
#[implements(INftConfig, IOwnable<Error = NftError>)]
impl RoyaltyNft {
    /// Storage-layout id the collection checks before accepting this facet.
    pub fn config_facet_version(&self) -> B256 {
        FACET_VERSION
    }

    /// `IRewards`: runs in the rewards facet (refused on a reentrant call).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.config_fallback(calldata)
    }
}
