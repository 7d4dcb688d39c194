//! The traffic plugins' commands without nginx or Docker: ports, domains,
//! proxy, certs and network state and messages.
