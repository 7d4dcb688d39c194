//! Tests of the apps plugin.
