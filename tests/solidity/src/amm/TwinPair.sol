// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the Stylus liquidity pool's pair (contracts/liquidity-pool),
// our own code written from the constant-product formulas (../shared/defi-anchors.md §2.2) and
// the public IUniswapV2Pair ABI, for the e2e suite (tests/tests/e2e/pool.rs) and the gas bench
// (tests/benches/pool_gas.rs):
// - LP shares: ERC-20 + EIP-2612 permit ("Stylus Yield LP", "SY-LP", 18 decimals);
// - mint (first: sqrt(x*y) - 1000 locked at address(0)), burn, swap with the 0.30 % fee,
//   flash swaps (`uniswapV2Call` when data is not empty), skim, sync;
// - UQ112x112 price accumulators for TWAP oracles (wrapping exactly where V2 relies on it);
// - the protocol fee (1/6 of sqrt(k) growth, `kLast`) when the factory's `feeTo` is set;
// - LP incentives through the reward module twin (TwinRewards, IRewards ABI, admin = the
//   factory's feeToSetter, read live), checkpointed on every LP balance change;
// - one transient-storage lock over every mutator and every reward call that moves tokens
//   (UniswapV2Locked); `getReserves` refuses to answer while the pair is locked (no stale
//   reserves mid-callback: read-only reentrancy);
// - error names as the Stylus pair's (UniswapV2K, UniswapV2Locked, ...).
// Not production code: written to be a fair, idiomatic gas comparison.
pragma solidity 0.8.30;

import {TwinRewards} from "../TwinRewards.sol";

interface ITwinFactoryFees {
    function feeTo() external view returns (address);
    function feeToSetter() external view returns (address);
}

interface IUniswapV2Callee {
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}

interface IBalanceOf {
    function balanceOf(address account) external view returns (uint256);
}

contract TwinPair is TwinRewards {
    error UniswapV2Locked();
    error UniswapV2Forbidden();
    error UniswapV2Overflow();
    error UniswapV2InsufficientLiquidityMinted();
    error UniswapV2InsufficientLiquidityBurned();
    error UniswapV2InsufficientOutputAmount();
    error UniswapV2InsufficientInputAmount();
    error UniswapV2InsufficientLiquidity();
    error UniswapV2InvalidTo();
    error UniswapV2K();
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ERC20InvalidReceiver(address receiver);
    error ERC2612ExpiredSignature(uint256 deadline);
    error ERC2612InvalidSigner(address signer, address owner);

    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    event Sync(uint112 reserve0, uint112 reserve1);

    string public constant name = "Stylus Yield LP";
    string public constant symbol = "SY-LP";
    uint8 public constant decimals = 18;
    uint256 public constant MINIMUM_LIQUIDITY = 1000;
    bytes32 public constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// Transient slot of the lock.
    bytes32 private constant LOCK_SLOT = keccak256("stylus-yield.twin-pair.lock");

    address public immutable factory;
    uint256 private immutable _chainId;
    bytes32 private immutable _domainSeparator;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => uint256) public nonces;

    address public token0;
    address public token1;
    uint112 private reserve0;
    uint112 private reserve1;
    uint32 private blockTimestampLast;
    uint256 public price0CumulativeLast;
    uint256 public price1CumulativeLast;
    /// reserve0 * reserve1 after the last liquidity event (while the protocol fee is on).
    uint256 public kLast;

    constructor() {
        factory = msg.sender;
        _chainId = block.chainid;
        _domainSeparator = _buildDomainSeparator();
    }

    // ------------------------------------------------------------------ lock
    function _locked() private view returns (bool l) {
        bytes32 slot = LOCK_SLOT;
        assembly {
            l := tload(slot)
        }
    }

    modifier nonReentrant() override {
        bytes32 slot = LOCK_SLOT;
        bool entered;
        assembly {
            entered := tload(slot)
        }
        if (entered) revert UniswapV2Locked();
        assembly {
            tstore(slot, 1)
        }
        _;
        assembly {
            tstore(slot, 0)
        }
    }

    // ------------------------------------------------------------------ reward host hooks
    /// LP held by the pair (sent for a burn) and the locked MINIMUM_LIQUIDITY earn nothing.
    function _rewardSupply() internal view override returns (uint256) {
        return totalSupply - balanceOf[address(0)] - balanceOf[address(this)];
    }

    function _rewardBalance(address account) internal view override returns (uint256) {
        return account == address(this) || account == address(0) ? 0 : balanceOf[account];
    }

    function _rewardAdmin() internal view override returns (address) {
        return ITwinFactoryFees(factory).feeToSetter();
    }

    function _isPrincipal(address token) internal view override returns (bool) {
        return token == token0 || token == token1;
    }

    // ------------------------------------------------------------------ LP ERC-20 + permit
    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 current = allowance[from][msg.sender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(msg.sender, current, value);
            unchecked {
                allowance[from][msg.sender] = current - value;
            }
        }
        _move(from, to, value);
        return true;
    }

    function _approve(address owner_, address spender, uint256 value) private {
        allowance[owner_][spender] = value;
        emit Approval(owner_, spender, value);
    }

    function _move(address from, address to, uint256 value) private {
        if (to == address(0)) revert ERC20InvalidReceiver(to);
        _checkpoint(from, to);
        uint256 bal = balanceOf[from];
        if (bal < value) revert ERC20InsufficientBalance(from, bal, value);
        unchecked {
            balanceOf[from] = bal - value;
            balanceOf[to] += value;
        }
        emit Transfer(from, to, value);
    }

    function _mint(address to, uint256 value) private {
        _checkpoint(to, address(0));
        totalSupply += value;
        unchecked {
            balanceOf[to] += value;
        }
        emit Transfer(address(0), to, value);
    }

    function _burn(address from, uint256 value) private {
        _checkpoint(from, address(0));
        uint256 bal = balanceOf[from];
        if (bal < value) revert ERC20InsufficientBalance(from, bal, value);
        unchecked {
            balanceOf[from] = bal - value;
            totalSupply -= value;
        }
        emit Transfer(from, address(0), value);
    }

    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return block.chainid == _chainId ? _domainSeparator : _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256("1"), block.chainid, address(this)));
    }

    function permit(address owner_, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 digest = keccak256(
            abi.encodePacked(
                hex"1901",
                DOMAIN_SEPARATOR(),
                keccak256(abi.encode(PERMIT_TYPEHASH, owner_, spender, value, nonces[owner_]++, deadline))
            )
        );
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0) || signer != owner_) revert ERC2612InvalidSigner(signer, owner_);
        _approve(owner_, spender, value);
    }

    // ------------------------------------------------------------------ pair
    function initialize(address token0_, address token1_) external {
        if (msg.sender != factory || token0 != address(0)) revert UniswapV2Forbidden();
        token0 = token0_;
        token1 = token1_;
    }

    /// Reserves and the time of their last update; refuses while the pair is mid-operation.
    function getReserves() external view returns (uint112, uint112, uint32) {
        if (_locked()) revert UniswapV2Locked();
        return (reserve0, reserve1, blockTimestampLast);
    }

    /// Stores the balances as reserves, accruing the price accumulators over the time elapsed at
    /// the old reserves (UQ112x112; the products and the uint32 clock wrap by design).
    function _update(uint256 balance0, uint256 balance1, uint112 r0, uint112 r1) private {
        if (balance0 > type(uint112).max || balance1 > type(uint112).max) revert UniswapV2Overflow();
        uint32 now32 = uint32(block.timestamp);
        unchecked {
            uint32 elapsed = now32 - blockTimestampLast;
            if (elapsed > 0 && r0 != 0 && r1 != 0) {
                price0CumulativeLast += ((uint256(r1) << 112) / r0) * elapsed;
                price1CumulativeLast += ((uint256(r0) << 112) / r1) * elapsed;
            }
        }
        reserve0 = uint112(balance0);
        reserve1 = uint112(balance1);
        blockTimestampLast = now32;
        emit Sync(uint112(balance0), uint112(balance1));
    }

    /// Mints the protocol fee (1/6 of the sqrt(k) growth since the last liquidity event) to feeTo.
    function _mintFee(uint112 r0, uint112 r1) private returns (bool feeOn) {
        address feeTo = ITwinFactoryFees(factory).feeTo();
        feeOn = feeTo != address(0);
        uint256 last = kLast;
        if (feeOn) {
            if (last != 0) {
                uint256 rootK = _sqrt(uint256(r0) * r1);
                uint256 rootKLast = _sqrt(last);
                if (rootK > rootKLast) {
                    uint256 liquidity = totalSupply * (rootK - rootKLast) / (rootK * 5 + rootKLast);
                    if (liquidity > 0) _mint(feeTo, liquidity);
                }
            }
        } else if (last != 0) {
            kLast = 0;
        }
    }

    function mint(address to) external nonReentrant returns (uint256 liquidity) {
        (uint112 r0, uint112 r1) = (reserve0, reserve1);
        uint256 balance0 = IBalanceOf(token0).balanceOf(address(this));
        uint256 balance1 = IBalanceOf(token1).balanceOf(address(this));
        uint256 amount0 = balance0 - r0;
        uint256 amount1 = balance1 - r1;
        bool feeOn = _mintFee(r0, r1);
        uint256 supply = totalSupply;
        if (supply == 0) {
            uint256 root = _sqrt(amount0 * amount1);
            if (root <= MINIMUM_LIQUIDITY) revert UniswapV2InsufficientLiquidityMinted();
            liquidity = root - MINIMUM_LIQUIDITY;
            _mint(address(0), MINIMUM_LIQUIDITY); // locked forever
        } else {
            uint256 l0 = amount0 * supply / r0;
            uint256 l1 = amount1 * supply / r1;
            liquidity = l0 < l1 ? l0 : l1;
        }
        if (liquidity == 0) revert UniswapV2InsufficientLiquidityMinted();
        _mint(to, liquidity);
        _update(balance0, balance1, r0, r1);
        if (feeOn) kLast = uint256(reserve0) * reserve1;
        emit Mint(msg.sender, amount0, amount1);
    }

    function burn(address to) external nonReentrant returns (uint256 amount0, uint256 amount1) {
        (uint112 r0, uint112 r1) = (reserve0, reserve1);
        (address t0, address t1) = (token0, token1);
        uint256 balance0 = IBalanceOf(t0).balanceOf(address(this));
        uint256 balance1 = IBalanceOf(t1).balanceOf(address(this));
        uint256 liquidity = balanceOf[address(this)];
        bool feeOn = _mintFee(r0, r1);
        uint256 supply = totalSupply;
        amount0 = liquidity * balance0 / supply; // rounded down: the pool keeps the dust
        amount1 = liquidity * balance1 / supply;
        if (amount0 == 0 || amount1 == 0) revert UniswapV2InsufficientLiquidityBurned();
        _burn(address(this), liquidity);
        _safeTransfer(t0, to, amount0);
        _safeTransfer(t1, to, amount1);
        balance0 = IBalanceOf(t0).balanceOf(address(this));
        balance1 = IBalanceOf(t1).balanceOf(address(this));
        _update(balance0, balance1, r0, r1);
        if (feeOn) kLast = uint256(reserve0) * reserve1;
        emit Burn(msg.sender, amount0, amount1, to);
    }

    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external nonReentrant {
        if (amount0Out == 0 && amount1Out == 0) revert UniswapV2InsufficientOutputAmount();
        (uint112 r0, uint112 r1) = (reserve0, reserve1);
        if (amount0Out >= r0 || amount1Out >= r1) revert UniswapV2InsufficientLiquidity();
        _sendOut(amount0Out, amount1Out, to, data);
        _settleSwap(amount0Out, amount1Out, to, r0, r1);
    }

    /// Optimistic transfers, then the flash-swap callback when there is data.
    function _sendOut(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) private {
        (address t0, address t1) = (token0, token1);
        if (to == t0 || to == t1) revert UniswapV2InvalidTo();
        if (amount0Out > 0) _safeTransfer(t0, to, amount0Out);
        if (amount1Out > 0) _safeTransfer(t1, to, amount1Out);
        if (data.length > 0) IUniswapV2Callee(to).uniswapV2Call(msg.sender, amount0Out, amount1Out, data);
    }

    /// Measures what came in, checks the fee-adjusted invariant, stores the new reserves.
    function _settleSwap(uint256 amount0Out, uint256 amount1Out, address to, uint112 r0, uint112 r1) private {
        uint256 balance0 = IBalanceOf(token0).balanceOf(address(this));
        uint256 balance1 = IBalanceOf(token1).balanceOf(address(this));
        uint256 amount0In = balance0 > r0 - amount0Out ? balance0 - (r0 - amount0Out) : 0;
        uint256 amount1In = balance1 > r1 - amount1Out ? balance1 - (r1 - amount1Out) : 0;
        if (amount0In == 0 && amount1In == 0) revert UniswapV2InsufficientInputAmount();
        // (b0*1000 - in0*3) * (b1*1000 - in1*3) >= r0 * r1 * 1000^2
        if ((balance0 * 1000 - amount0In * 3) * (balance1 * 1000 - amount1In * 3) < uint256(r0) * r1 * 1_000_000) {
            revert UniswapV2K();
        }
        _update(balance0, balance1, r0, r1);
        emit Swap(msg.sender, amount0In, amount1In, amount0Out, amount1Out, to);
    }

    /// Sends what exceeds the reserves (donations) to `to`.
    function skim(address to) external nonReentrant {
        (address t0, address t1) = (token0, token1);
        _safeTransfer(t0, to, IBalanceOf(t0).balanceOf(address(this)) - reserve0);
        _safeTransfer(t1, to, IBalanceOf(t1).balanceOf(address(this)) - reserve1);
    }

    /// Makes the reserves equal the balances.
    function sync() external nonReentrant {
        _update(
            IBalanceOf(token0).balanceOf(address(this)),
            IBalanceOf(token1).balanceOf(address(this)),
            reserve0,
            reserve1
        );
    }

    /// Integer square root rounded down (Babylonian method).
    function _sqrt(uint256 y) private pure returns (uint256 z) {
        if (y > 3) {
            z = y;
            uint256 x = y / 2 + 1;
            while (x < z) {
                z = x;
                x = (y / x + x) / 2;
            }
        } else if (y != 0) {
            z = 1;
        }
    }
}
