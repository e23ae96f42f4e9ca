//! The `durand` binary: parse arguments, run, map the outcome to grep's exit codes
//! (0 results, 1 no results, 2 error).

use std::process::ExitCode;

use clap::Parser;
use durand::app;
use durand::cli::Cli;

fn main() -> ExitCode {
    // SAFETY: the process has not started a second thread yet.
    unsafe { app::set_process_defaults() };
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return app::usage_error(err),
    };
    let verbose = cli.verbose;
    match app::run(cli) {
        Ok(code) => code,
        Err(err) if app::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            app::report_error(&err, verbose);
            ExitCode::from(2)
        }
    }
}
