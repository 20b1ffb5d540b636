/* embedded: lookup in the table of scenario files compiled into the binary. */
#include "config/embedded.h"

#include <string.h>

const char *nqp_embedded_find(const char *name) {
  for (const nqp_embedded_file *f = nqp_embedded; f->name; f++)
    if (strcmp(f->name, name) == 0) return f->text;
  return NULL;
}
