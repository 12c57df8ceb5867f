; Mesh syntax highlighting. Later patterns take precedence in editors that apply the
; last match; tree-sitter-highlight applies the first, so specific patterns come first.

(comment) @comment

; ---------------------------------------------------------------- definitions

(function_definition name: (identifier) @function)
(function_signature name: (identifier) @function)
(call_handler name: (identifier) @function)
(cast_handler name: (identifier) @function)
(actor_definition name: (identifier) @type)
(service_definition name: (identifier) @type)
(supervisor_definition name: (identifier) @type)
(module_definition name: (_) @type)
(struct_definition name: (identifier) @type)
(type_definition name: (identifier) @type)
(type_alias name: (identifier) @type)
(associated_type name: (identifier) @type)
(interface_definition name: (identifier) @type)
(variant name: (identifier) @constant)
(child_spec name: (identifier) @variable)

; ---------------------------------------------------------------- calls and fields

(call function: (identifier) @function.call)
(call function: (field_access field: (identifier) @function.call))

(field_access value: (identifier) @type
  (#match? @type "^[A-Z]"))
(field_access field: (identifier) @property)

(keyword_argument name: (identifier) @property)
(field_initializer name: (identifier) @property)
(field_declaration name: (identifier) @property)
(supervisor_option key: (identifier) @property)
(struct_option name: (identifier) @keyword)
(map_entry key: (identifier) @property)
(struct_literal name: (identifier) @type)

(constructor_pattern constructor: (identifier) @constructor)
(constructor_pattern constructor: (qualified_name (identifier) @constructor))

(module_path (identifier) @type)
(import_list (identifier) @function)

; ---------------------------------------------------------------- types

(type_identifier) @type
(function_type "Fun" @type.builtin)

; ---------------------------------------------------------------- literals

(string) @string
(escape_sequence) @string.escape
(interpolation
  "${" @punctuation.special
  "}" @punctuation.special) @embedded
(integer) @number
(float) @number
(atom) @constant
(boolean) @constant.builtin
(nil) @constant.builtin
(self) @variable.builtin
(wildcard) @variable.builtin

((identifier) @constant
  (#match? @constant "^[A-Z][A-Z0-9_]+$"))
((identifier) @type
  (#match? @type "^[A-Z]"))
(parameter pattern: (identifier) @variable.parameter)
(identifier) @variable

; ---------------------------------------------------------------- keywords

[
  "fn" "def" "pub" "module" "import" "from" "struct" "type" "interface" "impl" "for"
  "actor" "service" "supervisor" "call" "cast" "receive" "after" "terminate" "child"
  "do" "end" "if" "else" "case" "match" "when" "where" "in" "while" "let"
  "return" "deriving" "as"
] @keyword

[(break_expression) (continue_expression)] @keyword

[
  "and" "or" "not"
] @keyword.operator

[
  "+" "-" "*" "/" "%" "<>" "++" ".." "<" ">" "<=" ">=" "==" "!=" "&&" "||" "|>" "!"
  "=" "->" "=>" "::" "|" "?"
] @operator

["(" ")" "[" "]" "{" "}" "%{"] @punctuation.bracket
["," "." ":" ";"] @punctuation.delimiter
