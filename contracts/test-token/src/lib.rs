//! test-token
