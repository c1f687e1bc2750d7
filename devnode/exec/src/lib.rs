//! devnode-exec
