#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  return wardprint::cli::runCommand({argv + 1, argv + argc}, std::cin, std::cout, std::cerr);
}
