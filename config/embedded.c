/* embedded: lookup, descriptions and hints over the tables of scenario and
 * sweep files compiled into the binary (config/embedded.h).
 *
 * Invariant: nothing here allocates; every output is cut to its buffer and
 * NUL-terminated.
 */
#include "config/embedded.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "config/cfg_util.h"

const char *nqp_embedded_find(const char *name) {
  for (const nqp_embedded_file *f = nqp_embedded; f->name; f++)
    if (strcmp(f->name, name) == 0) return f->text;
  return NULL;
}

/* 1 when NAME is FILE or FILE without its ".yaml". */
static int names_file(const char *name, const char *file) {
  size_t n = strlen(name);
  return !strcmp(name, file) || (!strncmp(name, file, n) && !strcmp(file + n, ".yaml"));
}

const nqp_embedded_file *nqp_embedded_lookup(const nqp_embedded_file *table, const char *name) {
  for (const nqp_embedded_file *f = table; name && f->name; f++)
    if (names_file(name, f->name)) return f;
  return NULL;
}

/* The opening comment block of TEXT (lines starting with "#", up to the
 * first empty comment line) joined by spaces into OUT (LEN bytes). */
static void comment_block(const char *text, char *out, size_t len) {
  size_t n = 0;
  for (const char *p = text; p && *p == '#' && n + 1 < len;) {
    p++;
    while (*p == ' ') p++;
    size_t line = strcspn(p, "\r\n");
    if (line == 0) break;
    if (n && n + 1 < len) out[n++] = ' ';
    for (size_t i = 0; i < line && n + 1 < len; i++) out[n++] = p[i];
    p += line;
    while (*p == '\r' || *p == '\n') p++;
  }
  out[n] = 0;
}

void nqp_embedded_summary(const char *text, char *buf, size_t len) {
  char block[512];
  if (!len) return;
  comment_block(text, block, sizeof block);
  for (char *end = strstr(block, ". "); end; end = strstr(end + 1, ". "))
    if (end > block && !isdigit((unsigned char)end[-1])) { /* not "1. " */
      end[1] = 0;                                          /* the first sentence */
      break;
    }
  size_t n = strlen(block);
  if (n < len) {
    snprintf(buf, len, "%s", block);
    return;
  }
  size_t cut = len > 4 ? len - 4 : 0; /* room for "..." */
  while (cut > 0 && block[cut] != ' ') cut--;
  snprintf(buf, len, "%.*s...", (int)cut, block);
}

void nqp_embedded_hint(const nqp_embedded_file *table, const char *name, char *buf, size_t len) {
  const char *names[EMBEDDED_MAX_FILES];
  size_t n = 0;
  for (const nqp_embedded_file *f = table; f->name && n < EMBEDDED_MAX_FILES; f++)
    names[n++] = f->name;
  cfg_hint(name, names, n, 0, buf, len);
  if (!buf[0]) snprintf(buf, len, " (`nqpsim list` shows the embedded files)");
}
