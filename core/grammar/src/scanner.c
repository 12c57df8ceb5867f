// External scanner for Mesh: significant newlines, comments and string contents.
//
// Only tree-sitter's own headers are used: the scanner is compiled for
// wasm32-unknown-unknown too, where there is no libc beyond tree-sitter's small subset.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>

enum TokenType {
  NEWLINE,
  STRING_CONTENT,
  TRIPLE_STRING_CONTENT,
  COMMENT,
  ERROR_SENTINEL,
};

void *tree_sitter_mesh_external_scanner_create(void) { return NULL; }
void tree_sitter_mesh_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_mesh_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_mesh_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }
static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static inline bool is_newline(int32_t c) { return c == '\n' || c == '\r'; }
static inline bool is_blank(int32_t c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Text of a string up to (not including) its end quote(s), a `\` escape or a `${`.
// Newlines are content: strings may span lines.
static bool scan_string_content(TSLexer *lexer, bool triple) {
  bool has_content = false;
  for (;;) {
    lexer->mark_end(lexer);
    if (lexer->eof(lexer)) return has_content;
    int32_t c = lexer->lookahead;
    if (c == '\\') return has_content;
    if (c == '"') {
      if (!triple) return has_content;
      // One or two quotes inside a `"""` string are content; three end it.
      advance(lexer);
      if (lexer->lookahead == '"') {
        advance(lexer);
        if (lexer->lookahead == '"') return has_content;
      }
      has_content = true;
      continue;
    }
    if (c == '$') {
      advance(lexer);
      if (lexer->lookahead == '{') return has_content;
      has_content = true;
      continue;
    }
    advance(lexer);
    has_content = true;
  }
}

// At `#`: a line comment, or a `#= ... =#` block comment (nestable; unterminated, it
// runs to the end of the file).
static bool scan_comment(TSLexer *lexer) {
  advance(lexer);  // '#'
  if (lexer->lookahead != '=') {
    while (!lexer->eof(lexer) && !is_newline(lexer->lookahead)) advance(lexer);
    lexer->mark_end(lexer);
    return true;
  }
  advance(lexer);  // '='
  unsigned depth = 1;
  while (depth > 0 && !lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '#' && lexer->lookahead == '=') {
      advance(lexer);
      depth++;
    } else if (c == '=' && lexer->lookahead == '#') {
      advance(lexer);
      depth--;
    }
  }
  lexer->mark_end(lexer);
  return true;
}

bool tree_sitter_mesh_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];

  if (!recovering) {
    if (valid_symbols[TRIPLE_STRING_CONTENT]) {
      lexer->result_symbol = TRIPLE_STRING_CONTENT;
      return scan_string_content(lexer, true);
    }
    if (valid_symbols[STRING_CONTENT]) {
      lexer->result_symbol = STRING_CONTENT;
      return scan_string_content(lexer, false);
    }
  }

  // Whitespace, and newlines too: where a newline may end a statement it is decided
  // below, once the next line's first token is known. Skipped characters belong to no
  // token, so a NEWLINE token itself is empty and sits at the start of the next line;
  // that lets comment lines in between come out as their own tokens first.
  bool saw_newline = false;
  while (is_blank(lexer->lookahead) || is_newline(lexer->lookahead)) {
    if (is_newline(lexer->lookahead)) saw_newline = true;
    skip(lexer);
  }

  if (lexer->lookahead == '#' && valid_symbols[COMMENT]) {
    lexer->result_symbol = COMMENT;
    return scan_comment(lexer);
  }

  if (saw_newline && valid_symbols[NEWLINE] && !lexer->eof(lexer)) {
    lexer->mark_end(lexer);
    // A line starting with `|>` continues the previous expression.
    if (lexer->lookahead == '|') {
      advance(lexer);
      if (lexer->lookahead == '>') return false;
    }
    lexer->result_symbol = NEWLINE;
    return true;
  }

  return false;
}
