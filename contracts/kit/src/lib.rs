//! Stylus Yield contract kit.
