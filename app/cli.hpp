#pragma once

namespace magnetar::app {

// Parses the command line, loads the settings (file, MAGNETAR_* environment,
// flags) and runs the chosen subcommand. Returns the exit code.
int run_cli(int argc, char** argv);

}  // namespace magnetar::app
