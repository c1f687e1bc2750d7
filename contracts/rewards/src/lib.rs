//! Stylus Yield reward module.
