; Symbols for code navigation: functions, handlers, actors, services, structs, modules.

(function_definition name: (identifier) @name) @definition.function
(function_signature name: (identifier) @name) @definition.function
(call_handler name: (identifier) @name) @definition.function
(cast_handler name: (identifier) @name) @definition.function

(actor_definition name: (identifier) @name) @definition.class
(service_definition name: (identifier) @name) @definition.class
(supervisor_definition name: (identifier) @name) @definition.class
(struct_definition name: (identifier) @name) @definition.class
(type_definition name: (identifier) @name) @definition.class
(interface_definition name: (identifier) @name) @definition.interface

(module_definition name: (_) @name) @definition.module

(call function: (identifier) @name) @reference.call
(call function: (field_access field: (identifier) @name)) @reference.call
