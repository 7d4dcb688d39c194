//! The `dokku` binary: reads the global flags, settles who runs the command,
//! and routes it to a core plugin or an external one. Errors become exit
//! codes here and only here.

mod dispatch;
mod env;
mod globals;
mod help;
mod multicall;
mod registry;
mod ssh;
mod user;

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let code = dispatch::main(argv);
    ExitCode::from(u8::try_from(code.clamp(0, 255)).unwrap_or(1))
}
