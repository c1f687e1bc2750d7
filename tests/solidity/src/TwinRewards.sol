// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the reward module (contracts/rewards), extracted from the
// vault twin so every Solidity host twin (the AMM pair twin of tests/solidity/src/amm/) pays
// rewards with the same code and the same ABI as contracts/rewards/abi/IRewards.sol: one source
// (0 = the host's balance ledger), the short forms and the `source`-first overloads (any other
// source reverts with RewardSourceUnknown).
// Maths and policies (Synthetix / Curve MultiRewards accumulator): rate x 1e18, index x 1e36,
// streams pause while the supply is zero, every balance change checkpoints both parties first;
// `distribute` streams over at least a day and never shortens a running stream; no funding lowers
// a running rate; fundings credit the balance delta.
// The host provides its ledger (`_rewardSupply`, `_rewardBalance`), its admin, its principal
// tokens, and its reentrancy guard (`nonReentrant`), and calls `_checkpoint(from, to)` before
// every balance change.
// Not production code: written to be a fair, idiomatic gas comparison.
pragma solidity 0.8.30;

/// The ERC-20 calls the reward module makes.
interface IRewardERC20 {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

abstract contract TwinRewards {
    error RewardUnauthorized(address caller);
    error RewardTokenExists(address token);
    error RewardTokenUnknown(address token);
    error RewardTokenLimit(uint256 max);
    error RewardTokenForbidden(address token);
    error RewardZeroAddress();
    error RewardInvalidDuration(uint256 duration);
    error RewardSourceUnknown(uint256 source);
    error RewardZeroAmount();
    error RewardFundingCap(address token);
    error SafeERC20FailedOperation(address token);

    event RewardAdded(uint256 indexed source, address indexed token, address indexed distributor, uint256 duration);
    event RewardNotified(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    event RewardDistributed(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    event RewardPaid(uint256 indexed source, address indexed account, address indexed token, address to, uint256 amount);
    event RewardsDurationUpdated(uint256 indexed source, address indexed token, uint256 duration);
    event RewardDistributorUpdated(uint256 indexed source, address indexed token, address distributor);
    event Recovered(address indexed token, uint256 amount);

    uint256 private constant RATE_SCALE = 1e18;
    uint256 private constant INDEX_SCALE = 1e36;
    uint256 private constant INDEX_PER_RATE = 1e18;
    uint256 private constant MAX_REWARD_TOKENS = 8;
    uint256 private constant MAX_DURATION = 5 * 365 days;
    uint256 private constant DISTRIBUTION_WINDOW = 1 days;
    uint256 private constant MAX_FUNDING = type(uint128).max;

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

    // ------------------------------------------------------------------ host hooks
    /// Total of the reward-bearing balances (source 0).
    function _rewardSupply() internal view virtual returns (uint256);
    /// Reward-bearing balance of `account`.
    function _rewardBalance(address account) internal view virtual returns (uint256);
    /// Who administers the rewards (adds tokens, sets distributors and durations).
    function _rewardAdmin() internal view virtual returns (address);
    /// Whether `token` is a principal token of the host (never a reward, never recoverable).
    function _isPrincipal(address token) internal view virtual returns (bool);
    /// The host's reentrancy guard around every entry point that moves tokens.
    modifier nonReentrant() virtual;

    modifier onlyRewardAdmin() {
        if (msg.sender != _rewardAdmin()) revert RewardUnauthorized(msg.sender);
        _;
    }

    modifier source0(uint256 source) {
        if (source != 0) revert RewardSourceUnknown(source);
        _;
    }

    // ------------------------------------------------------------------ views
    function rewardTokens() external view returns (address[] memory) {
        return _rewardTokens;
    }

    function rewardTokens(uint256 source) external view source0(source) returns (address[] memory) {
        return _rewardTokens;
    }

    function rewardData(address token) public view returns (address, uint256, uint256, uint256, uint256, uint256) {
        RewardData storage d = _rewardData[token];
        (uint256 index, uint64 finish,) = _advanced(d, _rewardSupply());
        return (d.distributor, d.duration, finish, d.rate, d.lastUpdate, index);
    }

    function rewardData(uint256 source, address token)
        external
        view
        source0(source)
        returns (address, uint256, uint256, uint256, uint256, uint256)
    {
        return rewardData(token);
    }

    function earned(address account, address token) public view returns (uint256) {
        RewardData storage d = _rewardData[token];
        (uint256 index,,) = _advanced(d, _rewardSupply());
        UserReward storage u = _users[token][account];
        return u.accrued + _earned(_rewardBalance(account), index, u.paid);
    }

    function earned(uint256 source, address account, address token) external view source0(source) returns (uint256) {
        return earned(account, token);
    }

    // ------------------------------------------------------------------ claims
    function claim(address[] calldata tokens, address to) external nonReentrant {
        _claim(tokens, to);
    }

    function claim(uint256 source, address[] calldata tokens, address to) external source0(source) nonReentrant {
        _claim(tokens, to);
    }

    function claimAll(address to) external nonReentrant {
        _claim(_rewardTokens, to);
    }

    function claimAll(uint256 source, address to) external source0(source) nonReentrant {
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

    // ------------------------------------------------------------------ admin
    function addReward(address token, address distributor, uint256 duration) external onlyRewardAdmin {
        _addReward(token, distributor, duration);
    }

    function addReward(uint256 source, address token, address distributor, uint256 duration)
        external
        source0(source)
        onlyRewardAdmin
    {
        _addReward(token, distributor, duration);
    }

    function _addReward(address token, address distributor, uint256 duration) private {
        if (token == address(this) || _isPrincipal(token)) revert RewardTokenForbidden(token);
        if (token == address(0)) revert RewardZeroAddress();
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

    function setRewardsDuration(address token, uint256 duration) external onlyRewardAdmin {
        _setDuration(token, duration);
    }

    function setRewardsDuration(uint256 source, address token, uint256 duration)
        external
        source0(source)
        onlyRewardAdmin
    {
        _setDuration(token, duration);
    }

    function _setDuration(address token, uint256 duration) private {
        RewardData storage d = _known(token);
        _validDuration(duration);
        d.duration = uint64(duration);
        emit RewardsDurationUpdated(0, token, duration);
    }

    function setRewardDistributor(address token, address distributor) external onlyRewardAdmin {
        _setDistributor(token, distributor);
    }

    function setRewardDistributor(uint256 source, address token, address distributor)
        external
        source0(source)
        onlyRewardAdmin
    {
        _setDistributor(token, distributor);
    }

    function _setDistributor(address token, address distributor) private {
        RewardData storage d = _known(token);
        d.distributor = distributor;
        emit RewardDistributorUpdated(0, token, distributor);
    }

    function notifyRewardAmount(address token, uint256 amount) external nonReentrant {
        _fund(token, amount, false);
    }

    function notifyRewardAmount(uint256 source, address token, uint256 amount) external source0(source) nonReentrant {
        _fund(token, amount, false);
    }

    function distribute(address token, uint256 amount) external nonReentrant {
        _fund(token, amount, true);
    }

    function distribute(uint256 source, address token, uint256 amount) external source0(source) nonReentrant {
        _fund(token, amount, true);
    }

    function recoverERC20(address token, uint256 amount) external onlyRewardAdmin nonReentrant {
        if (_rewardData[token].duration != 0 || token == address(this) || _isPrincipal(token)) {
            revert RewardTokenForbidden(token);
        }
        _safeTransfer(token, msg.sender, amount);
        emit Recovered(token, amount);
    }

    // ------------------------------------------------------------------ maths
    /// Streams what arrived: `notifyRewardAmount` over the token's duration, `distribute` over
    /// at least a day and never ending the running stream earlier; a funding that would lower the
    /// running rate extends the stream at that rate instead.
    function _fund(address token, uint256 amount, bool instant) private {
        RewardData storage d = _known(token);
        if (msg.sender != _rewardAdmin() && msg.sender != d.distributor) revert RewardUnauthorized(msg.sender);
        if (amount == 0) revert RewardZeroAmount();
        uint256 before = IRewardERC20(token).balanceOf(address(this));
        _safeTransferFrom(token, msg.sender, address(this), amount);
        uint256 received = IRewardERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert RewardZeroAmount();
        _advance(d, _rewardSupply());
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

    function _known(address token) private view returns (RewardData storage d) {
        d = _rewardData[token];
        if (d.duration == 0) revert RewardTokenUnknown(token);
    }

    function _validDuration(uint256 duration) private pure {
        if (duration == 0 || duration > MAX_DURATION) revert RewardInvalidDuration(duration);
    }

    /// The stream of `d` brought to now (view): index, periodFinish, whether anything changed.
    function _advanced(RewardData storage d, uint256 supply)
        private
        view
        returns (uint256 index, uint64 finish, bool moved)
    {
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
    /// The host calls it before every reward-bearing balance change.
    function _checkpoint(address a, address b) internal {
        uint256 n = _rewardTokens.length;
        if (n == 0) return;
        uint256 supply = _rewardSupply();
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
        uint256 e = _earned(_rewardBalance(account), index, paid);
        if (e != 0) u.accrued += e;
        u.paid = index;
    }

    // ------------------------------------------------------------------ token calls
    function _safeTransfer(address token, address to, uint256 value) internal {
        _callToken(token, abi.encodeCall(IRewardERC20.transfer, (to, value)));
    }

    function _safeTransferFrom(address token, address from, address to, uint256 value) internal {
        _callToken(token, abi.encodeCall(IRewardERC20.transferFrom, (from, to, value)));
    }

    /// OpenZeppelin SafeERC20 semantics: success, and either no return data (from a contract) or `true`.
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length == 0 ? token.code.length == 0 : !abi.decode(ret, (bool)))) {
            revert SafeERC20FailedOperation(token);
        }
    }
}
