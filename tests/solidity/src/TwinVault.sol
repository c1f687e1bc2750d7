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
// Not production code: sized and written to be a fair, idiomatic gas comparison.
pragma solidity 0.8.30;

/// The ERC-20 calls the vault makes.
interface IERC20Calls {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function decimals() external view returns (uint8);
    function balanceOf(address account) external view returns (uint256);
}

contract TwinVault {
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
    error SafeERC20FailedOperation(address token);
    error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    error ERC4626ExceededMaxMint(address receiver, uint256 shares, uint256 max);
    error ERC4626ExceededMaxWithdraw(address owner, uint256 assets, uint256 max);
    error ERC4626ExceededMaxRedeem(address owner, uint256 shares, uint256 max);
    error VaultInvalidAsset(address asset);
    error VaultAssetShortfall(uint256 expected, uint256 received);
    error ReentrancyGuardReentrantCall();
    error RewardUnauthorized(address caller);
    error RewardTokenExists(address token);
    error RewardTokenUnknown(address token);
    error RewardTokenLimit(uint256 max);
    error RewardTokenForbidden(address token);
    error RewardZeroAddress();
    error RewardInvalidDuration(uint256 duration);
    error RewardZeroAmount();
    error RewardFundingCap(address token);

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
    // The reward module's events exactly (abi/IRewards): the twin is a single-source host, so
    // `source` is always 0, but it is emitted (one topic more, as the Stylus vault pays).
    event RewardAdded(uint256 indexed source, address indexed token, address indexed distributor, uint256 duration);
    event RewardNotified(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    event RewardDistributed(
        uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish
    );
    event RewardPaid(uint256 indexed source, address indexed account, address indexed token, address to, uint256 amount);
    event RewardsDurationUpdated(uint256 indexed source, address indexed token, uint256 duration);
    event RewardDistributorUpdated(uint256 indexed source, address indexed token, address distributor);
    event Recovered(address indexed token, uint256 amount);

    // ------------------------------------------------------------------ constants
    uint256 private constant VIRTUAL_SHARES = 1e3; // 10 ** decimals offset (3)
    uint256 private constant RATE_SCALE = 1e18;
    uint256 private constant INDEX_SCALE = 1e36;
    uint256 private constant INDEX_PER_RATE = 1e18;
    uint256 private constant MAX_REWARD_TOKENS = 8;
    uint256 private constant MAX_DURATION = 5 * 365 days;
    uint256 private constant DISTRIBUTION_WINDOW = 1 days;
    uint256 private constant MAX_FUNDING = type(uint128).max;
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

    /// Per reward token: the same 5-slot layout as the Stylus module (distributor + duration,
    /// periodFinish + lastUpdate, rate, index, funded).
    struct RewardData {
        address distributor;
        uint64 duration;
        uint64 periodFinish;
        uint64 lastUpdate;
        uint256 rate;
        uint256 index;
        uint256 funded;
    }

    struct UserReward {
        uint256 paid;
        uint256 accrued;
    }

    address[] private _rewardTokens;
    mapping(address => RewardData) private _rewardData;
    mapping(address => mapping(address => UserReward)) private _users;

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
    modifier nonReentrant() virtual {
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

    // ------------------------------------------------------------------ rewards (IRewards)
    function rewardTokens() external view returns (address[] memory) {
        return _rewardTokens;
    }

    function rewardData(address token) external view returns (address, uint256, uint256, uint256, uint256, uint256) {
        RewardData storage d = _rewardData[token];
        return (d.distributor, d.duration, d.periodFinish, d.rate, d.lastUpdate, d.index);
    }

    function earned(address account, address token) external view returns (uint256) {
        RewardData storage d = _rewardData[token];
        (uint256 index,,) = _advanced(d, totalSupply);
        UserReward storage u = _users[token][account];
        return u.accrued + _earned(balanceOf[account], index, u.paid);
    }

    function claim(address[] calldata tokens, address to) external nonReentrant {
        _claim(tokens, to);
    }

    function claimAll(address to) external nonReentrant {
        _claim(_rewardTokens, to);
    }

    function _claim(address[] memory tokens, address to) private {
        if (to == address(0)) revert RewardZeroAddress();
        _checkpoint(msg.sender, address(0));
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            if (_rewardData[token].duration == 0) revert RewardTokenUnknown(token);
            UserReward storage u = _users[token][msg.sender];
            uint256 amount = u.accrued;
            if (amount != 0) {
                u.accrued = 0;
                _safeTransfer(token, to, amount);
                emit RewardPaid(0, msg.sender, token, to, amount);
            }
        }
    }

    function addReward(address token, address distributor, uint256 duration) external onlyOwner {
        if (token == _asset || token == address(this)) revert RewardTokenForbidden(token);
        if (token == address(0) || distributor == address(0)) revert RewardZeroAddress();
        _validDuration(duration);
        RewardData storage d = _rewardData[token];
        if (d.duration != 0) revert RewardTokenExists(token);
        if (_rewardTokens.length >= MAX_REWARD_TOKENS) revert RewardTokenLimit(MAX_REWARD_TOKENS);
        _rewardTokens.push(token);
        d.distributor = distributor;
        d.duration = uint64(duration);
        d.lastUpdate = uint64(block.timestamp);
        emit RewardAdded(0, token, distributor, duration);
    }

    /// Owner: the stream length of the next `notifyRewardAmount` (a running stream is unchanged).
    function setRewardsDuration(address token, uint256 duration) external onlyOwner {
        RewardData storage d = _rewardData[token];
        if (d.duration == 0) revert RewardTokenUnknown(token);
        _validDuration(duration);
        d.duration = uint64(duration);
        emit RewardsDurationUpdated(0, token, duration);
    }

    /// Owner: who may fund `token` besides the owner.
    function setRewardDistributor(address token, address distributor) external onlyOwner {
        RewardData storage d = _rewardData[token];
        if (d.duration == 0) revert RewardTokenUnknown(token);
        if (distributor == address(0)) revert RewardZeroAddress();
        d.distributor = distributor;
        emit RewardDistributorUpdated(0, token, distributor);
    }

    function notifyRewardAmount(address token, uint256 amount) external nonReentrant {
        _fund(token, amount, false);
    }

    function distribute(address token, uint256 amount) external nonReentrant {
        _fund(token, amount, true);
    }

    function recoverERC20(address token, uint256 amount) external onlyOwner nonReentrant {
        if (_rewardData[token].duration != 0 || token == _asset || token == address(this)) {
            revert RewardTokenForbidden(token);
        }
        _safeTransfer(token, msg.sender, amount);
        emit Recovered(token, amount);
    }

    /// Streams what arrived: `notifyRewardAmount` over the token's duration, `distribute` over
    /// at least a day and never ending the running stream earlier; a funding that would lower the
    /// running rate extends the stream at that rate instead.
    function _fund(address token, uint256 amount, bool instant) private {
        RewardData storage d = _onlyFunder(token);
        if (amount == 0) revert RewardZeroAmount();
        uint256 received = _pull(token, amount);
        if (received == 0) revert RewardZeroAmount();
        _advance(d, totalSupply);
        uint256 funded = d.funded + received;
        if (funded > MAX_FUNDING) revert RewardFundingCap(token);
        d.funded = funded;
        uint256 finish = d.periodFinish;
        uint256 remaining = finish > block.timestamp ? finish - block.timestamp : 0;
        uint256 len = d.duration;
        if (instant) len = remaining > DISTRIBUTION_WINDOW ? remaining : DISTRIBUTION_WINDOW;
        uint256 rate = d.rate;
        uint256 total = received * RATE_SCALE + rate * remaining;
        uint256 restart = total / len;
        if (remaining != 0 && rate != 0 && restart < rate) {
            finish = block.timestamp + total / rate;
        } else {
            rate = restart;
            finish = block.timestamp + len;
            d.rate = rate;
        }
        d.periodFinish = uint64(finish);
        if (instant) emit RewardDistributed(0, token, received, rate, finish);
        else emit RewardNotified(0, token, received, rate, finish);
    }

    /// Pulls `amount` of `token` from the caller; returns what arrived (balance delta).
    function _pull(address token, uint256 amount) private returns (uint256) {
        uint256 before = IERC20Calls(token).balanceOf(address(this));
        _safeTransferFrom(token, msg.sender, address(this), amount);
        return IERC20Calls(token).balanceOf(address(this)) - before;
    }

    function _onlyFunder(address token) private view returns (RewardData storage d) {
        d = _rewardData[token];
        if (d.duration == 0) revert RewardTokenUnknown(token);
        if (msg.sender != owner && msg.sender != d.distributor) revert RewardUnauthorized(msg.sender);
    }

    function _validDuration(uint256 duration) private pure {
        if (duration == 0 || duration > MAX_DURATION) revert RewardInvalidDuration(duration);
    }

    /// The stream of `d` brought to now (view): index, periodFinish, whether anything changed.
    function _advanced(RewardData storage d, uint256 supply) private view returns (uint256 index, uint64 finish, bool moved) {
        uint64 last = d.lastUpdate;
        index = d.index;
        finish = d.periodFinish;
        if (block.timestamp <= last) return (index, finish, false);
        moved = true;
        if (supply == 0) {
            if (finish > last) finish += uint64(block.timestamp - last);
        } else {
            uint256 end = block.timestamp < finish ? block.timestamp : finish;
            if (end > last) {
                uint256 rate = d.rate;
                // rate * elapsed <= MAX_FUNDING * 1e18, so the product below fits in 256 bits.
                if (rate != 0) index += rate * (end - last) * INDEX_PER_RATE / supply;
            }
        }
    }

    /// Accrues `d` to now and stores it; returns the index.
    function _advance(RewardData storage d, uint256 supply) private returns (uint256 index) {
        uint64 finish;
        bool moved;
        (index, finish, moved) = _advanced(d, supply);
        if (moved) {
            d.index = index;
            d.periodFinish = finish;
            d.lastUpdate = uint64(block.timestamp);
        }
    }

    function _earned(uint256 balance, uint256 index, uint256 paid) private pure returns (uint256) {
        // balance * (index - paid) <= MAX_FUNDING * 1e36: checked maths never reverts in range.
        return balance * (index - paid) / INDEX_SCALE;
    }

    /// Accrues every reward token and settles `a` and `b` at their current balances (zero skipped).
    function _checkpoint(address a, address b) private {
        uint256 n = _rewardTokens.length;
        if (n == 0) return;
        uint256 supply = totalSupply;
        for (uint256 i; i < n; ++i) {
            address token = _rewardTokens[i];
            uint256 index = _advance(_rewardData[token], supply);
            if (a != address(0)) _settle(token, a, index);
            if (b != address(0)) _settle(token, b, index);
        }
    }

    function _settle(address token, address account, uint256 index) private {
        UserReward storage u = _users[token][account];
        uint256 paid = u.paid;
        if (paid == index) return;
        uint256 e = _earned(balanceOf[account], index, paid);
        if (e != 0) u.accrued += e;
        u.paid = index;
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

    function _safeTransfer(address token, address to, uint256 value) private {
        _callToken(token, abi.encodeCall(IERC20Calls.transfer, (to, value)));
    }

    function _safeTransferFrom(address token, address from, address to, uint256 value) private {
        _callToken(token, abi.encodeCall(IERC20Calls.transferFrom, (from, to, value)));
    }

    /// OpenZeppelin SafeERC20 semantics: success, and either no return data (from a contract) or `true`.
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length == 0 ? token.code.length == 0 : !abi.decode(ret, (bool)))) {
            revert SafeERC20FailedOperation(token);
        }
    }
}
