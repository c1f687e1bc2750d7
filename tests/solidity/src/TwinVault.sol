// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the staking vault and its reward module, written for the gas
// bench (tests/benches/vault_gas.rs) and as a reference in the attack tests. Same external names
// and semantics as abi/staking-vault.json + abi/staking-vault-rewards-facet.json as far as
// sensible, so the bench drives both through one binding:
// - ERC-4626 over an ERC-20 asset with virtual shares (offset 3: shares have asset decimals + 3),
//   internal `totalAssets` (donations never move the price), rounding in the vault's favour;
// - share token: ERC-20 + EIP-2612 permit; Ownable2Step; pause (deposits and mints) and a cap;
// - streamed multi-token rewards (Synthetix / Curve MultiRewards accumulator): rate x 1e18,
//   index x 1e36, streams pause while the supply is zero, every share balance change checkpoints
//   both parties first; `distribute` streams over at least a day and never shortens a running
//   stream, no funding lowers a running rate; fundings credit the balance delta and a deposit
//   reverts unless the vault then holds at least totalAssets + assets (as the Stylus vault);
// - a transient-storage reentrancy guard on every entry point that moves tokens.
// The reward module is TwinRewards.sol (shared with the AMM pair twin; IRewards ABI).
// Not production code: sized and written to be a fair, idiomatic gas comparison.
pragma solidity 0.8.30;

import {TwinRewards} from "./TwinRewards.sol";

/// The ERC-20 calls the vault makes.
interface IERC20Calls {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function decimals() external view returns (uint8);
    function balanceOf(address account) external view returns (uint256);
}

contract TwinVault is TwinRewards {
    // ------------------------------------------------------------------ errors (Stylus vault names)
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InvalidSender(address sender);
    error ERC20InvalidReceiver(address receiver);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ERC20InvalidApprover(address approver);
    error ERC20InvalidSpender(address spender);
    error MathOverflow();
    error ERC2612ExpiredSignature(uint256 deadline);
    error ERC2612InvalidSigner(address signer, address owner);
    error ECDSAInvalidSignature();
    error ECDSAInvalidSignatureS(bytes32 s);
    error OwnableUnauthorizedAccount(address account);
    error OwnableInvalidOwner(address owner);
    error EnforcedPause();
    error ExpectedPause();
    error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    error ERC4626ExceededMaxMint(address receiver, uint256 shares, uint256 max);
    error ERC4626ExceededMaxWithdraw(address owner, uint256 assets, uint256 max);
    error ERC4626ExceededMaxRedeem(address owner, uint256 shares, uint256 max);
    error VaultInvalidAsset(address asset);
    error VaultAssetShortfall(uint256 expected, uint256 received);
    error ReentrancyGuardReentrantCall();

    // ------------------------------------------------------------------ events
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );
    event DepositCapUpdated(uint256 cap);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event Paused(address account);
    event Unpaused(address account);

    // ------------------------------------------------------------------ constants
    uint256 private constant VIRTUAL_SHARES = 1e3; // 10 ** decimals offset (3)
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// Transient slot of the reentrancy guard (any fixed slot: transient storage starts empty).
    bytes32 private constant GUARD_SLOT = keccak256("stylus-yield.twin.reentrancy");

    // ------------------------------------------------------------------ storage
    address private immutable _asset;
    uint8 private immutable _decimals;
    uint256 private immutable _chainId;
    bytes32 private immutable _domainSeparator;

    string public name;
    string public symbol;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => uint256) public nonces;
    address public owner;
    address public pendingOwner;
    bool public paused;
    uint256 public depositCap;
    uint256 public totalAssets;


    constructor(address asset_, string memory name_, string memory symbol_, address owner_) {
        if (asset_ == address(0)) revert VaultInvalidAsset(asset_);
        if (owner_ == address(0)) revert OwnableInvalidOwner(owner_);
        uint8 assetDecimals = 18;
        try IERC20Calls(asset_).decimals() returns (uint8 d) {
            assetDecimals = d;
        } catch {}
        _asset = asset_;
        _decimals = assetDecimals + 3;
        name = name_;
        symbol = symbol_;
        depositCap = type(uint256).max;
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        _chainId = block.chainid;
        _domainSeparator = _buildDomainSeparator();
    }

    // ------------------------------------------------------------------ modifiers
    modifier nonReentrant() virtual override {
        bytes32 slot = GUARD_SLOT;
        uint256 entered;
        assembly {
            entered := tload(slot)
        }
        if (entered != 0) revert ReentrancyGuardReentrantCall();
        assembly {
            tstore(slot, 1)
        }
        _;
        assembly {
            tstore(slot, 0)
        }
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    // ------------------------------------------------------------------ ERC-20 (shares)
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        if (to == address(0) || to == address(this)) revert ERC20InvalidReceiver(to);
        _update(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0) || to == address(this)) revert ERC20InvalidReceiver(to);
        _spendAllowance(from, msg.sender, value);
        _update(from, to, value);
        return true;
    }

    function _approve(address owner_, address spender, uint256 value) private {
        if (owner_ == address(0)) revert ERC20InvalidApprover(address(0));
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        allowance[owner_][spender] = value;
        emit Approval(owner_, spender, value);
    }

    function _spendAllowance(address owner_, address spender, uint256 value) private {
        uint256 current = allowance[owner_][spender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(spender, current, value);
            unchecked {
                allowance[owner_][spender] = current - value;
            }
        }
    }

    /// Every share balance change: checkpoint both parties, then move (mint: from = 0, burn: to = 0).
    function _update(address from, address to, uint256 value) private {
        _checkpoint(from, to);
        if (from == address(0)) {
            totalSupply += value;
        } else {
            uint256 bal = balanceOf[from];
            if (bal < value) revert ERC20InsufficientBalance(from, bal, value);
            unchecked {
                balanceOf[from] = bal - value;
            }
        }
        if (to == address(0)) {
            unchecked {
                totalSupply -= value;
            }
        } else {
            unchecked {
                balanceOf[to] += value;
            }
        }
        emit Transfer(from, to, value);
    }

    // ------------------------------------------------------------------ EIP-2612
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return block.chainid == _chainId ? _domainSeparator : _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256("1"), block.chainid, address(this))
        );
    }

    function permit(address owner_, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        if (uint256(s) > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) {
            revert ECDSAInvalidSignatureS(s);
        }
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner_, spender, value, nonces[owner_]++, deadline));
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR(), structHash));
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert ECDSAInvalidSignature();
        if (signer != owner_) revert ERC2612InvalidSigner(signer, owner_);
        _approve(owner_, spender, value);
    }

    // ------------------------------------------------------------------ Ownable2Step, pause, cap
    function transferOwnership(address newOwner) external onlyOwner {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        if (msg.sender != pendingOwner) revert OwnableUnauthorizedAccount(msg.sender);
        delete pendingOwner;
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
    }

    function renounceOwnership() external onlyOwner {
        delete pendingOwner;
        emit OwnershipTransferred(owner, address(0));
        owner = address(0);
    }

    function pause() external onlyOwner {
        if (paused) revert EnforcedPause();
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyOwner {
        if (!paused) revert ExpectedPause();
        paused = false;
        emit Unpaused(msg.sender);
    }

    function setDepositCap(uint256 cap) external onlyOwner {
        depositCap = cap;
        emit DepositCapUpdated(cap);
    }

    // ------------------------------------------------------------------ ERC-4626
    function asset() external view returns (address) {
        return _asset;
    }

    function _toShares(uint256 assets, bool up) private view returns (uint256) {
        return _mulDiv(assets, totalSupply + VIRTUAL_SHARES, totalAssets + 1, up);
    }

    function _toAssets(uint256 shares, bool up) private view returns (uint256) {
        return _mulDiv(shares, totalAssets + 1, totalSupply + VIRTUAL_SHARES, up);
    }

    function convertToShares(uint256 assets) external view returns (uint256) {
        return _toShares(assets, false);
    }

    function convertToAssets(uint256 shares) external view returns (uint256) {
        return _toAssets(shares, false);
    }

    function _depositRoom() private view returns (uint256) {
        if (paused) return 0;
        uint256 cap = depositCap;
        uint256 held = totalAssets;
        return cap > held ? cap - held : 0;
    }

    function maxDeposit(address) external view returns (uint256) {
        return _depositRoom();
    }

    function maxMint(address) public view returns (uint256) {
        uint256 room = _depositRoom();
        // An uncapped vault's room does not convert: report the maximum (as the Stylus vault).
        if (room > type(uint256).max / (totalSupply + VIRTUAL_SHARES)) return type(uint256).max;
        return _toShares(room, false);
    }

    function maxWithdraw(address owner_) public view returns (uint256) {
        return _toAssets(balanceOf[owner_], false);
    }

    function maxRedeem(address owner_) external view returns (uint256) {
        return balanceOf[owner_];
    }

    function previewDeposit(uint256 assets) external view returns (uint256) {
        return _toShares(assets, false);
    }

    function previewMint(uint256 shares) external view returns (uint256) {
        return _toAssets(shares, true);
    }

    function previewWithdraw(uint256 assets) external view returns (uint256) {
        return _toShares(assets, true);
    }

    function previewRedeem(uint256 shares) external view returns (uint256) {
        return _toAssets(shares, false);
    }

    function deposit(uint256 assets, address receiver) external nonReentrant returns (uint256 shares) {
        if (paused) revert EnforcedPause();
        uint256 max = _depositRoom();
        if (assets > max) revert ERC4626ExceededMaxDeposit(receiver, assets, max);
        shares = _toShares(assets, false);
        _deposit(receiver, assets, shares);
    }

    function mint(uint256 shares, address receiver) external nonReentrant returns (uint256 assets) {
        if (paused) revert EnforcedPause();
        uint256 max = maxMint(receiver);
        if (shares > max) revert ERC4626ExceededMaxMint(receiver, shares, max);
        assets = _toAssets(shares, true);
        _deposit(receiver, assets, shares);
    }

    function withdraw(uint256 assets, address receiver, address owner_)
        external
        nonReentrant
        returns (uint256 shares)
    {
        uint256 max = maxWithdraw(owner_);
        if (assets > max) revert ERC4626ExceededMaxWithdraw(owner_, assets, max);
        shares = _toShares(assets, true);
        _withdraw(receiver, owner_, assets, shares);
    }

    function redeem(uint256 shares, address receiver, address owner_) external nonReentrant returns (uint256 assets) {
        uint256 max = balanceOf[owner_];
        if (shares > max) revert ERC4626ExceededMaxRedeem(owner_, shares, max);
        assets = _toAssets(shares, false);
        _withdraw(receiver, owner_, assets, shares);
    }

    /// Pulls the assets first, then checks coverage (the vault holds at least the booked assets
    /// plus the deposit: one `balanceOf`, as the Stylus vault), then mints.
    function _deposit(address receiver, uint256 assets, uint256 shares) private {
        if (receiver == address(0) || receiver == address(this)) revert ERC20InvalidReceiver(receiver);
        _safeTransferFrom(_asset, msg.sender, address(this), assets);
        uint256 held = IERC20Calls(_asset).balanceOf(address(this));
        uint256 booked = totalAssets;
        uint256 received = held > booked ? held - booked : 0;
        if (received < assets) revert VaultAssetShortfall(assets, received);
        totalAssets = booked + assets;
        _update(address(0), receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// Burns first, then sends the assets.
    function _withdraw(address receiver, address owner_, uint256 assets, uint256 shares) private {
        if (msg.sender != owner_) _spendAllowance(owner_, msg.sender, shares);
        _update(owner_, address(0), shares);
        totalAssets -= assets;
        _safeTransfer(_asset, receiver, assets);
        emit Withdraw(msg.sender, receiver, owner_, assets, shares);
    }

    // ------------------------------------------------------------------ reward host hooks
    function _rewardSupply() internal view override returns (uint256) {
        return totalSupply;
    }

    function _rewardBalance(address account) internal view override returns (uint256) {
        return balanceOf[account];
    }

    function _rewardAdmin() internal view override returns (address) {
        return owner;
    }

    function _isPrincipal(address token) internal view override returns (bool) {
        return token == _asset;
    }

    /// Pulls `amount` of `token` from the caller; returns what arrived (balance delta).
    function _pull(address token, uint256 amount) private returns (uint256) {
        uint256 before = IERC20Calls(token).balanceOf(address(this));
        _safeTransferFrom(token, msg.sender, address(this), amount);
        return IERC20Calls(token).balanceOf(address(this)) - before;
    }

    // ------------------------------------------------------------------ helpers
    function _mulDiv(uint256 a, uint256 b, uint256 d, bool up) private pure returns (uint256 q) {
        uint256 p;
        unchecked {
            p = a * b;
            if (a != 0 && p / a != b) revert MathOverflow();
        }
        q = p / d;
        if (up && mulmod(a, b, d) != 0) q += 1;
    }
}
