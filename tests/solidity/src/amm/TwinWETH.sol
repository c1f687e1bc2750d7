// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the Stylus WETH (contracts/weth), our own WETH9-equivalent
// on the public IWETH ABI: deposit / receive mint 1:1, withdraw burns and sends ETH, totalSupply
// is the ETH held, an infinite allowance never decreases, and every failure is a named error.
pragma solidity 0.8.30;

contract TwinWETH {
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error WETHTransferFailed(address to, uint256 amount);

    event Approval(address indexed src, address indexed guy, uint256 wad);
    event Transfer(address indexed src, address indexed dst, uint256 wad);
    event Deposit(address indexed dst, uint256 wad);
    event Withdrawal(address indexed src, uint256 wad);

    string public constant name = "Wrapped Ether";
    string public constant symbol = "WETH";
    uint8 public constant decimals = 18;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    receive() external payable {
        deposit();
    }

    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    function withdraw(uint256 wad) external {
        uint256 bal = balanceOf[msg.sender];
        if (bal < wad) revert ERC20InsufficientBalance(msg.sender, bal, wad);
        unchecked {
            balanceOf[msg.sender] = bal - wad;
        }
        (bool ok,) = msg.sender.call{value: wad}("");
        if (!ok) revert WETHTransferFailed(msg.sender, wad);
        emit Withdrawal(msg.sender, wad);
    }

    function totalSupply() external view returns (uint256) {
        return address(this).balance;
    }

    function approve(address guy, uint256 wad) external returns (bool) {
        allowance[msg.sender][guy] = wad;
        emit Approval(msg.sender, guy, wad);
        return true;
    }

    function transfer(address dst, uint256 wad) external returns (bool) {
        return transferFrom(msg.sender, dst, wad);
    }

    function transferFrom(address src, address dst, uint256 wad) public returns (bool) {
        uint256 bal = balanceOf[src];
        if (bal < wad) revert ERC20InsufficientBalance(src, bal, wad);
        if (src != msg.sender) {
            uint256 current = allowance[src][msg.sender];
            if (current != type(uint256).max) {
                if (current < wad) revert ERC20InsufficientAllowance(msg.sender, current, wad);
                unchecked {
                    allowance[src][msg.sender] = current - wad;
                }
            }
        }
        unchecked {
            balanceOf[src] = bal - wad;
            balanceOf[dst] += wad;
        }
        emit Transfer(src, dst, wad);
        return true;
    }
}
