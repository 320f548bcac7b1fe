/* prov-json-scan.c — one text member of a JSON object, read off the text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "prov-json-reader.h"
#include "prov-json-scan.h"

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
is_digit (Scan *s)
{
  return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

/* A string at s->p (its opening quote): its contents in [*start, *stop),
 * and whether it holds an escape. */
static gboolean
scan_string (Scan        *s,
             const char **start,
             const char **stop,
             gboolean    *escaped)
{
  *escaped = FALSE;
  s->p++;
  *start = s->p;
  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          *stop = s->p++;
          return g_utf8_validate_len (*start, *stop - *start, NULL);
        }
      if (c < 0x20)
        return FALSE;
      if (c == '\\')
        {
          *escaped = TRUE;
          if (++s->p >= s->end)
            return FALSE;
          if (*s->p == 'u')
            {
              for (guint i = 0; i < 4; i++)
                if (++s->p >= s->end || !g_ascii_isxdigit (*s->p))
                  return FALSE;
            }
          else if (strchr ("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0')
            return FALSE;
        }
      s->p++;
    }
  return FALSE;
}

static gboolean
scan_number (Scan *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (!is_digit (s))
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else
    while (is_digit (s))
      s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!is_digit (s))
        return FALSE;
      while (is_digit (s))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!is_digit (s))
        return FALSE;
      while (is_digit (s))
        s->p++;
    }
  return TRUE;
}

static gboolean
scan_literal (Scan       *s,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

/* Any value at s->p, and the space after it. */
static gboolean
scan_value (Scan  *s,
            guint  depth)
{
  const char *start, *stop;
  gboolean escaped;

  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '"':
      if (!scan_string (s, &start, &stop, &escaped))
        return FALSE;
      break;

    case '{':
    case '[':
      {
        char close = *s->p == '{' ? '}' : ']';

        if (depth + 1 > PROV_JSON_READER_DEFAULT_MAX_DEPTH)
          return FALSE;
        s->p++;
        skip_space (s);
        if (s->p < s->end && *s->p == close)
          {
            s->p++;
            break;
          }
        for (;;)
          {
            if (close == '}')
              {
                if (s->p >= s->end || *s->p != '"' || !scan_string (s, &start, &stop, &escaped))
                  return FALSE;
                skip_space (s);
                if (s->p >= s->end || *s->p != ':')
                  return FALSE;
                s->p++;
                skip_space (s);
              }
            if (!scan_value (s, depth + 1))
              return FALSE;
            if (s->p < s->end && *s->p == ',')
              {
                s->p++;
                skip_space (s);
                continue;
              }
            if (s->p < s->end && *s->p == close)
              {
                s->p++;
                break;
              }
            return FALSE;
          }
      }
      break;

    case 't':
      if (!scan_literal (s, "true"))
        return FALSE;
      break;
    case 'f':
      if (!scan_literal (s, "false"))
        return FALSE;
      break;
    case 'n':
      if (!scan_literal (s, "null"))
        return FALSE;
      break;

    default:
      if (!scan_number (s))
        return FALSE;
      break;
    }

  skip_space (s);
  return TRUE;
}

gboolean
prov_json_scan_string_member (const char  *data,
                              gsize        length,
                              const char  *name,
                              char       **value)
{
  Scan s = { data, data + length };
  gsize name_length = strlen (name);
  const char *found = NULL;
  const char *found_end = NULL;

  g_return_val_if_fail (name != NULL && value != NULL, FALSE);
  *value = NULL;
  if (data == NULL)
    return FALSE;

  skip_space (&s);
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  s.p++;
  skip_space (&s);

  if (s.p < s.end && *s.p == '}')
    s.p++;
  else
    for (;;)
      {
        const char *key, *key_end, *start, *stop;
        gboolean escaped;
        gboolean wanted;

        if (s.p >= s.end || *s.p != '"' || !scan_string (&s, &key, &key_end, &escaped) || escaped)
          return FALSE;
        wanted = (gsize) (key_end - key) == name_length && memcmp (key, name, name_length) == 0;
        skip_space (&s);
        if (s.p >= s.end || *s.p != ':')
          return FALSE;
        s.p++;
        skip_space (&s);

        if (wanted && s.p < s.end && *s.p == '"')
          {
            if (!scan_string (&s, &start, &stop, &escaped) || escaped)
              return FALSE;
            found = start;
            found_end = stop;
            skip_space (&s);
          }
        else
          {
            if (!scan_value (&s, 1))
              return FALSE;
            if (wanted)
              found = found_end = NULL;
          }

        if (s.p < s.end && *s.p == ',')
          {
            s.p++;
            skip_space (&s);
            continue;
          }
        if (s.p < s.end && *s.p == '}')
          {
            s.p++;
            break;
          }
        return FALSE;
      }

  skip_space (&s);
  if (s.p != s.end)
    return FALSE;

  if (found != NULL)
    *value = g_strndup (found, found_end - found);
  return TRUE;
}
