// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the Stylus router (contracts/pool-router), our own
// UniswapV2Router02-equivalent on the public IUniswapV2Router02 ABI: liquidity with minimums (and
// with permit), exact-in / exact-out multi-hop swaps, deadlines, native ETH through WETH, the
// fee-on-transfer-supporting variants (which measure balances), quote / getAmountOut / getAmountIn
// / getAmountsOut / getAmountsIn. Pairs are found off chain-style: pairFor(factory, a, b) with the
// factory's pairInitCodeHash read once at construction. Slippage is checked on output amounts.
pragma solidity 0.8.30;

interface IRouterFactory {
    function getPair(address a, address b) external view returns (address);
    function createPair(address a, address b) external returns (address);
    function pairInitCodeHash() external view returns (bytes32);
}

interface IRouterPair {
    function getReserves() external view returns (uint112, uint112, uint32);
    function mint(address to) external returns (uint256);
    function burn(address to) external returns (uint256, uint256);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
}

interface IRouterWETH {
    function deposit() external payable;
    function withdraw(uint256) external;
    function transfer(address to, uint256 value) external returns (bool);
}

interface IRouterERC20 {
    function balanceOf(address) external view returns (uint256);
}

contract TwinRouter {
    error Expired();
    error InsufficientAAmount();
    error InsufficientBAmount();
    error InsufficientOutputAmount();
    error ExcessiveInputAmount();
    error InsufficientAmount();
    error InsufficientInputAmount();
    error InsufficientLiquidity();
    error InvalidPath();
    error IdenticalAddresses();
    error ZeroAddress();
    error NotWeth(address sender);
    error EthTransferFailed(address to, uint256 amount);
    error SafeERC20FailedOperation(address token);

    address public immutable factory;
    address public immutable WETH;
    bytes32 private immutable _initCodeHash;

    modifier ensure(uint256 deadline) {
        if (deadline < block.timestamp) revert Expired();
        _;
    }

    constructor(address factory_, address weth_) {
        factory = factory_;
        WETH = weth_;
        _initCodeHash = IRouterFactory(factory_).pairInitCodeHash();
    }

    receive() external payable {
        if (msg.sender != WETH) revert NotWeth(msg.sender); // only unwrapping sends ETH here
    }

    // ------------------------------------------------------------------ library
    function _sort(address a, address b) private pure returns (address t0, address t1) {
        if (a == b) revert IdenticalAddresses();
        (t0, t1) = a < b ? (a, b) : (b, a);
        if (t0 == address(0)) revert ZeroAddress();
    }

    function _pairFor(address a, address b) private view returns (address) {
        (address t0, address t1) = _sort(a, b);
        bytes32 salt = keccak256(abi.encodePacked(t0, t1));
        return address(uint160(uint256(keccak256(abi.encodePacked(hex"ff", factory, salt, _initCodeHash)))));
    }

    function _reserves(address a, address b) private view returns (uint256 ra, uint256 rb) {
        (address t0,) = _sort(a, b);
        (uint112 r0, uint112 r1,) = IRouterPair(_pairFor(a, b)).getReserves();
        (ra, rb) = a == t0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
    }

    function quote(uint256 amountA, uint256 reserveA, uint256 reserveB) public pure returns (uint256) {
        if (amountA == 0) revert InsufficientAmount();
        if (reserveA == 0 || reserveB == 0) revert InsufficientLiquidity();
        return amountA * reserveB / reserveA;
    }

    /// amountIn·997·R_out / (R_in·1000 + amountIn·997), rounded down (the pool keeps the dust).
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        if (amountIn == 0) revert InsufficientInputAmount();
        if (reserveIn == 0 || reserveOut == 0) revert InsufficientLiquidity();
        uint256 withFee = amountIn * 997;
        return withFee * reserveOut / (reserveIn * 1000 + withFee);
    }

    /// R_in·amountOut·1000 / ((R_out − amountOut)·997) + 1 (rounded up: the pool is paid enough).
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        if (amountOut == 0) revert InsufficientOutputAmount();
        if (reserveIn == 0 || reserveOut == 0 || amountOut >= reserveOut) revert InsufficientLiquidity();
        return reserveIn * amountOut * 1000 / ((reserveOut - amountOut) * 997) + 1;
    }

    function getAmountsOut(uint256 amountIn, address[] memory path) public view returns (uint256[] memory amounts) {
        if (path.length < 2) revert InvalidPath();
        amounts = new uint256[](path.length);
        amounts[0] = amountIn;
        for (uint256 i; i < path.length - 1; ++i) {
            (uint256 rIn, uint256 rOut) = _reserves(path[i], path[i + 1]);
            amounts[i + 1] = getAmountOut(amounts[i], rIn, rOut);
        }
    }

    function getAmountsIn(uint256 amountOut, address[] memory path) public view returns (uint256[] memory amounts) {
        if (path.length < 2) revert InvalidPath();
        amounts = new uint256[](path.length);
        amounts[amounts.length - 1] = amountOut;
        for (uint256 i = path.length - 1; i > 0; --i) {
            (uint256 rIn, uint256 rOut) = _reserves(path[i - 1], path[i]);
            amounts[i - 1] = getAmountIn(amounts[i], rIn, rOut);
        }
    }

    // ------------------------------------------------------------------ liquidity
    function _addLiquidity(address a, address b, uint256 aDesired, uint256 bDesired, uint256 aMin, uint256 bMin)
        private
        returns (uint256 amountA, uint256 amountB)
    {
        if (IRouterFactory(factory).getPair(a, b) == address(0)) IRouterFactory(factory).createPair(a, b);
        (uint256 ra, uint256 rb) = _reserves(a, b);
        if (ra == 0 && rb == 0) return (aDesired, bDesired);
        uint256 bOptimal = quote(aDesired, ra, rb);
        if (bOptimal <= bDesired) {
            if (bOptimal < bMin) revert InsufficientBAmount();
            return (aDesired, bOptimal);
        }
        uint256 aOptimal = quote(bDesired, rb, ra);
        if (aOptimal < aMin) revert InsufficientAAmount();
        return (aOptimal, bDesired);
    }

    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256 amountA, uint256 amountB, uint256 liquidity) {
        (amountA, amountB) = _addLiquidity(tokenA, tokenB, amountADesired, amountBDesired, amountAMin, amountBMin);
        address pair = _pairFor(tokenA, tokenB);
        _safeTransferFrom(tokenA, msg.sender, pair, amountA);
        _safeTransferFrom(tokenB, msg.sender, pair, amountB);
        liquidity = IRouterPair(pair).mint(to);
    }

    function addLiquidityETH(
        address token,
        uint256 amountTokenDesired,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) external payable ensure(deadline) returns (uint256 amountToken, uint256 amountETH, uint256 liquidity) {
        (amountToken, amountETH) =
            _addLiquidity(token, WETH, amountTokenDesired, msg.value, amountTokenMin, amountETHMin);
        address pair = _pairFor(token, WETH);
        _safeTransferFrom(token, msg.sender, pair, amountToken);
        IRouterWETH(WETH).deposit{value: amountETH}();
        _safeTransfer(WETH, pair, amountETH);
        liquidity = IRouterPair(pair).mint(to);
        if (msg.value > amountETH) _sendETH(msg.sender, msg.value - amountETH);
    }

    function removeLiquidity(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountA, uint256 amountB) {
        address pair = _pairFor(tokenA, tokenB);
        _safeTransferFrom(pair, msg.sender, pair, liquidity);
        (uint256 amount0, uint256 amount1) = IRouterPair(pair).burn(to);
        (address t0,) = _sort(tokenA, tokenB);
        (amountA, amountB) = tokenA == t0 ? (amount0, amount1) : (amount1, amount0);
        if (amountA < amountAMin) revert InsufficientAAmount();
        if (amountB < amountBMin) revert InsufficientBAmount();
    }

    function removeLiquidityETH(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountToken, uint256 amountETH) {
        (amountToken, amountETH) =
            removeLiquidity(token, WETH, liquidity, amountTokenMin, amountETHMin, address(this), deadline);
        _safeTransfer(token, to, amountToken);
        IRouterWETH(WETH).withdraw(amountETH);
        _sendETH(to, amountETH);
    }

    function _permit(address tokenA, address tokenB, uint256 liquidity, uint256 deadline, bool approveMax, uint8 v, bytes32 r, bytes32 s)
        private
    {
        IRouterPair(_pairFor(tokenA, tokenB)).permit(
            msg.sender, address(this), approveMax ? type(uint256).max : liquidity, deadline, v, r, s
        );
    }

    function removeLiquidityWithPermit(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountA, uint256 amountB) {
        _permit(tokenA, tokenB, liquidity, deadline, approveMax, v, r, s);
        (amountA, amountB) = removeLiquidity(tokenA, tokenB, liquidity, amountAMin, amountBMin, to, deadline);
    }

    function removeLiquidityETHWithPermit(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountToken, uint256 amountETH) {
        _permit(token, WETH, liquidity, deadline, approveMax, v, r, s);
        (amountToken, amountETH) = removeLiquidityETH(token, liquidity, amountTokenMin, amountETHMin, to, deadline);
    }

    function removeLiquidityETHSupportingFeeOnTransferTokens(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountETH) {
        (, amountETH) = removeLiquidity(token, WETH, liquidity, amountTokenMin, amountETHMin, address(this), deadline);
        _safeTransfer(token, to, IRouterERC20(token).balanceOf(address(this)));
        IRouterWETH(WETH).withdraw(amountETH);
        _sendETH(to, amountETH);
    }

    function removeLiquidityETHWithPermitSupportingFeeOnTransferTokens(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountETH) {
        _permit(token, WETH, liquidity, deadline, approveMax, v, r, s);
        amountETH = removeLiquidityETHSupportingFeeOnTransferTokens(
            token, liquidity, amountTokenMin, amountETHMin, to, deadline
        );
    }

    // ------------------------------------------------------------------ swaps
    /// Swaps along `path` with `amounts` already sent to the first pair.
    function _swap(uint256[] memory amounts, address[] memory path, address to) private {
        for (uint256 i; i < path.length - 1; ++i) {
            (address input, address output) = (path[i], path[i + 1]);
            (address t0,) = _sort(input, output);
            uint256 out = amounts[i + 1];
            (uint256 out0, uint256 out1) = input == t0 ? (uint256(0), out) : (out, uint256(0));
            address next = i < path.length - 2 ? _pairFor(output, path[i + 2]) : to;
            IRouterPair(_pairFor(input, output)).swap(out0, out1, next, new bytes(0));
        }
    }

    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        amounts = getAmountsOut(amountIn, path);
        if (amounts[amounts.length - 1] < amountOutMin) revert InsufficientOutputAmount();
        _safeTransferFrom(path[0], msg.sender, _pairFor(path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
    }

    function swapTokensForExactTokens(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        amounts = getAmountsIn(amountOut, path);
        if (amounts[0] > amountInMax) revert ExcessiveInputAmount();
        _safeTransferFrom(path[0], msg.sender, _pairFor(path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
    }

    function swapExactETHForTokens(uint256 amountOutMin, address[] calldata path, address to, uint256 deadline)
        external
        payable
        ensure(deadline)
        returns (uint256[] memory amounts)
    {
        if (path[0] != WETH) revert InvalidPath();
        amounts = getAmountsOut(msg.value, path);
        if (amounts[amounts.length - 1] < amountOutMin) revert InsufficientOutputAmount();
        IRouterWETH(WETH).deposit{value: amounts[0]}();
        _safeTransfer(WETH, _pairFor(path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
    }

    function swapTokensForExactETH(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        if (path[path.length - 1] != WETH) revert InvalidPath();
        amounts = getAmountsIn(amountOut, path);
        if (amounts[0] > amountInMax) revert ExcessiveInputAmount();
        _safeTransferFrom(path[0], msg.sender, _pairFor(path[0], path[1]), amounts[0]);
        _swap(amounts, path, address(this));
        IRouterWETH(WETH).withdraw(amountOut);
        _sendETH(to, amountOut);
    }

    function swapExactTokensForETH(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        if (path[path.length - 1] != WETH) revert InvalidPath();
        amounts = getAmountsOut(amountIn, path);
        uint256 out = amounts[amounts.length - 1];
        if (out < amountOutMin) revert InsufficientOutputAmount();
        _safeTransferFrom(path[0], msg.sender, _pairFor(path[0], path[1]), amounts[0]);
        _swap(amounts, path, address(this));
        IRouterWETH(WETH).withdraw(out);
        _sendETH(to, out);
    }

    function swapETHForExactTokens(uint256 amountOut, address[] calldata path, address to, uint256 deadline)
        external
        payable
        ensure(deadline)
        returns (uint256[] memory amounts)
    {
        if (path[0] != WETH) revert InvalidPath();
        amounts = getAmountsIn(amountOut, path);
        if (amounts[0] > msg.value) revert ExcessiveInputAmount();
        IRouterWETH(WETH).deposit{value: amounts[0]}();
        _safeTransfer(WETH, _pairFor(path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
        if (msg.value > amounts[0]) _sendETH(msg.sender, msg.value - amounts[0]);
    }

    /// Swaps along `path` pricing each hop on what actually arrived at its pair.
    function _swapSupportingFee(address[] memory path, address to) private {
        for (uint256 i; i < path.length - 1; ++i) {
            (address input, address output) = (path[i], path[i + 1]);
            (address t0,) = _sort(input, output);
            address pair = _pairFor(input, output);
            uint256 out;
            {
                (uint112 r0, uint112 r1,) = IRouterPair(pair).getReserves();
                (uint256 rIn, uint256 rOut) = input == t0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
                out = getAmountOut(IRouterERC20(input).balanceOf(pair) - rIn, rIn, rOut);
            }
            (uint256 out0, uint256 out1) = input == t0 ? (uint256(0), out) : (out, uint256(0));
            address next = i < path.length - 2 ? _pairFor(output, path[i + 2]) : to;
            IRouterPair(pair).swap(out0, out1, next, new bytes(0));
        }
    }

    function swapExactTokensForTokensSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) {
        if (path.length < 2) revert InvalidPath();
        _safeTransferFrom(path[0], msg.sender, _pairFor(path[0], path[1]), amountIn);
        address last = path[path.length - 1];
        uint256 before = IRouterERC20(last).balanceOf(to);
        _swapSupportingFee(path, to);
        if (IRouterERC20(last).balanceOf(to) - before < amountOutMin) revert InsufficientOutputAmount();
    }

    function swapExactETHForTokensSupportingFeeOnTransferTokens(
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external payable ensure(deadline) {
        if (path.length < 2 || path[0] != WETH) revert InvalidPath();
        IRouterWETH(WETH).deposit{value: msg.value}();
        _safeTransfer(WETH, _pairFor(path[0], path[1]), msg.value);
        address last = path[path.length - 1];
        uint256 before = IRouterERC20(last).balanceOf(to);
        _swapSupportingFee(path, to);
        if (IRouterERC20(last).balanceOf(to) - before < amountOutMin) revert InsufficientOutputAmount();
    }

    function swapExactTokensForETHSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) {
        if (path.length < 2 || path[path.length - 1] != WETH) revert InvalidPath();
        _safeTransferFrom(path[0], msg.sender, _pairFor(path[0], path[1]), amountIn);
        _swapSupportingFee(path, address(this));
        uint256 out = IRouterERC20(WETH).balanceOf(address(this));
        if (out < amountOutMin) revert InsufficientOutputAmount();
        IRouterWETH(WETH).withdraw(out);
        _sendETH(to, out);
    }

    // ------------------------------------------------------------------ transfers
    function _safeTransfer(address token, address to, uint256 value) private {
        _call(token, abi.encodeWithSelector(0xa9059cbb, to, value));
    }

    function _safeTransferFrom(address token, address from, address to, uint256 value) private {
        _call(token, abi.encodeWithSelector(0x23b872dd, from, to, value));
    }

    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length == 0 ? token.code.length == 0 : !abi.decode(ret, (bool)))) {
            revert SafeERC20FailedOperation(token);
        }
    }

    function _sendETH(address to, uint256 value) private {
        (bool ok,) = to.call{value: value}("");
        if (!ok) revert EthTransferFailed(to, value);
    }
}
