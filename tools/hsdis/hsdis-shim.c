#include <stdint.h>
#include <stddef.h>
/* Adapts Debian's fcml hsdis (old decode_instructions API) to the decode_instructions_virtual API of JDK 9+. */
typedef void* (*event_callback_t)(void*, const char*, void*);
typedef int (*printf_callback_t)(void*, const char*, ...);
extern void* decode_instructions(void* start, void* end, event_callback_t ev, void* ev_stream,
                                 printf_callback_t pr, void* pr_stream, const char* options);
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
                                  event_callback_t ev, void* ev_stream, printf_callback_t pr, void* pr_stream,
                                  const char* options, int newline) {
  (void) start_va; (void) end_va; (void) newline;
  return decode_instructions(buffer, buffer + length, ev, ev_stream, pr, pr_stream, options);
}
