//! The `durand` binary: parse arguments, run, map the outcome to grep's exit codes
//! (0 results, 1 no results, 2 error).

use std::process::ExitCode;

use clap::Parser;
use durand::app;
use durand::cli::Cli;

fn main() -> ExitCode {
    match app::run(Cli::parse()) {
        Ok(code) => code,
        Err(err) if app::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("durand: {err:#}");
            ExitCode::from(2)
        }
    }
}
