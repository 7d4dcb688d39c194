//! Tests of the config plugin.
