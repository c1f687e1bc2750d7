//! Product-agnostic Solidity errors shared by every Stylus Yield contract, and
//! [`impl_error_from!`](crate::impl_error_from) to fold kit error enums into a host's error enum.

use alloy_sol_types::sol;

sol! {
    /// A zero address was passed where a real account is required.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAddress();
    /// A zero amount was passed where a positive amount is required.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAmount();
    /// A signed request or an order is past its `deadline` (unix seconds).
    #[derive(Debug, PartialEq, Eq)]
    error DeadlineExpired(uint256 deadline);
    /// `initialize` was called on a contract that is already initialised.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyInitialized();
    /// A function that needs an initialised contract was called before `initialize`.
    #[derive(Debug, PartialEq, Eq)]
    error NotInitialized();
    /// The call re-entered a function guarded against reentrancy.
    #[derive(Debug, PartialEq, Eq)]
    error ReentrantCall();
}

/// Implements `From<$from> for $to` by converting every variant of the kit error enum `$from`
/// into `$to` through the `From<SolErrorStruct>` impls that `#[derive(SolidityError)]` generates
/// for each variant of `$to`. `$to` must therefore have one variant per Solidity error of `$from`.
///
/// ```ignore
/// kit::impl_error_from!(kit::erc20::Erc20Error => TokenError);
/// ```
#[macro_export]
macro_rules! impl_error_from {
    ($from:ty => $to:ty) => {
        impl ::core::convert::From<$from> for $to {
            fn from(e: $from) -> Self {
                e.into_host()
            }
        }
    };
}

/// Declares a kit error enum (`#[derive(SolidityError)]`) plus an `into_host` method that converts
/// it variant-by-variant into any host error type that has a `From` impl for each Solidity error.
macro_rules! kit_error_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(stylus_sdk::prelude::SolidityError, Debug, Clone, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vm])* $variant($variant),)*
        }

        impl $name {
            /// Converts this error into a host error enum that lists the same Solidity errors.
            pub fn into_host<E>(self) -> E
            where
                $(E: ::core::convert::From<$variant>,)*
            {
                match self {
                    $($name::$variant(e) => E::from(e),)*
                }
            }
        }
    };
}
pub(crate) use kit_error_enum;

kit_error_enum! {
    /// The shared, product-agnostic errors as one enum.
    pub enum CommonError {
        /// See [`ZeroAddress`].
        ZeroAddress,
        /// See [`ZeroAmount`].
        ZeroAmount,
        /// See [`DeadlineExpired`].
        DeadlineExpired,
        /// See [`AlreadyInitialized`].
        AlreadyInitialized,
        /// See [`NotInitialized`].
        NotInitialized,
        /// See [`ReentrantCall`].
        ReentrantCall,
    }
}
