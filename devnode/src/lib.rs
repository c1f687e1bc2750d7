//! devnode
