// SPDX-License-Identifier: MIT
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/*
 * Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there are
 * not one: overlong forms, surrogates and code points above U+10FFFF are
 * invalid (RFC 3629), as a JSON reader would say.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Both escapers: terminal (controls and backslash too) or UTF-8 only. */
static char *escape(const char *s, bool terminal)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	/* every byte grows to at most 4 ("\xNN") */
	char *out = malloc(len * 4 + 1);
	if (!out)
		return NULL;
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	while (*p) {
		size_t n = utf8_len(p);
		bool esc = n == 0 || (terminal && n == 1 && (is_control(*p) || *p == '\\'));
		if (esc) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
			p++;
			continue;
		}
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return out;
}

char *cmd_esc_text(const char *s)
{
	return escape(s ? s : "", true);
}

char *cmd_esc_utf8(const char *s)
{
	return escape(s ? s : "", false);
}

bool cmd_esc_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0 || (n == 1 && is_control(*p)))
			return false;
		p += n;
	}
	return true;
}

int cmd_fputs_esc(const char *s, FILE *out)
{
	char *e = cmd_esc_text(s);
	if (!e)
		return EOF;
	int r = fputs(e, out);
	free(e);
	return r;
}
