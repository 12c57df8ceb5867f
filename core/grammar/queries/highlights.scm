; Mesh syntax highlighting.
; When several patterns capture the same node, the LAST one wins (tree-sitter-highlight,
; Neovim): general patterns come first, specific ones after them.

; ---------------------------------------------------------------- names (general)

(identifier) @variable

((identifier) @type
  (#match? @type "^[A-Z]"))

((identifier) @constant
  (#match? @constant "^[A-Z][A-Z0-9_]+$"))

(parameter pattern: (identifier) @variable.parameter)
(block_parameters (parameter pattern: (identifier) @variable.parameter))

(self) @variable.builtin
(wildcard) @variable.builtin

; ---------------------------------------------------------------- types

(type_identifier) @type
(function_type "Fun" @type.builtin)
(module_path (identifier) @module)
(import_list (identifier) @function)

; ---------------------------------------------------------------- fields and properties

(field_access field: (identifier) @property)
(keyword_argument name: (identifier) @property)
(field_initializer name: (identifier) @property)
(field_declaration name: (identifier) @property)
(supervisor_option key: (identifier) @property)
(map_entry key: (identifier) @property)
(struct_option name: (identifier) @keyword)
(struct_literal name: (identifier) @type)

(constructor_pattern constructor: (identifier) @constructor)
(constructor_pattern constructor: (qualified_name (identifier) @constructor))

; ---------------------------------------------------------------- calls

(call function: (identifier) @function.call)
(call function: (field_access field: (identifier) @function.call))

; ---------------------------------------------------------------- definitions

(function_definition name: (identifier) @function)
(function_signature name: (identifier) @function)
(call_handler name: (identifier) @function)
(cast_handler name: (identifier) @function)
(actor_definition name: (identifier) @type)
(service_definition name: (identifier) @type)
(supervisor_definition name: (identifier) @type)
(module_definition name: (identifier) @module)
(module_definition name: (module_path (identifier) @module))
(struct_definition name: (identifier) @type)
(type_definition name: (identifier) @type)
(type_alias name: (identifier) @type)
(associated_type name: (identifier) @type)
(interface_definition name: (identifier) @type)
(variant name: (identifier) @constructor)
(child_spec name: (identifier) @variable)

; ---------------------------------------------------------------- literals

(string) @string
(escape_sequence) @string.escape
(interpolation) @embedded
(integer) @number
(float) @number
(atom) @constant
(boolean) @constant.builtin
(nil) @constant.builtin

; ---------------------------------------------------------------- keywords and punctuation

[
  "fn" "def" "pub" "module" "import" "from" "struct" "type" "interface" "impl" "for"
  "actor" "service" "supervisor" "call" "cast" "receive" "after" "terminate" "child"
  "do" "end" "if" "else" "case" "match" "when" "where" "in" "while" "let"
  "return" "deriving" "as"
] @keyword

[(break_expression) (continue_expression)] @keyword

["and" "or" "not"] @keyword.operator

[
  "+" "-" "*" "/" "%" "<>" "++" ".." "<" ">" "<=" ">=" "==" "!=" "&&" "||" "|>" "!"
  "=" "->" "=>" "::" "|" "?"
] @operator

["(" ")" "[" "]" "{" "}" "%{"] @punctuation.bracket
["," "." ":" ";"] @punctuation.delimiter
(interpolation
  "${" @punctuation.special
  "}" @punctuation.special)

(comment) @comment
