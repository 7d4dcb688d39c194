//! Tests of the plugin plugin.
