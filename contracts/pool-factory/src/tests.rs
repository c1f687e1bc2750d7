//! Unit tests (TestVM).
