// libFuzzer's driver, for a program that has a main of its own (Swift's): it parses
// libFuzzer's flags and runs `callback` on every input. The fuzzer runtime (-sanitize=fuzzer)
// defines it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
