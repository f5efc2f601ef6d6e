//! Scenarios after the suites of the public federation-gateway-audit (the
//! compatibility audit Hive Router passes in full): the same subgraph schemas,
//! data and queries, with expected answers, written as our fixtures.

pub mod abstract_types;
pub mod child_type_mismatch;
pub mod circular_reference_interface;
pub mod corrupted_supergraph_node_id;
pub mod enum_intersection;
pub mod external_extensions;
pub mod include_skip;
pub mod input_object_intersection;
pub mod interface_object_indirect_extension;
pub mod interface_object_with_requires;
pub mod keys_mashup;
pub mod mutations;
pub mod mysterious_external;
pub mod nested_provides;
pub mod nested_requires;
pub mod node;
pub mod non_resolvable_interface_object;
pub mod null_keys;
pub mod override_type_interface;
pub mod override_with_requires;
pub mod parent_entity_call;
pub mod parent_entity_call_complex;
pub mod provides_on_interface;
pub mod provides_on_union;
pub mod requires_interface;
pub mod requires_requires;
pub mod requires_with_argument;
pub mod requires_with_fragments;
pub mod shared_root;
pub mod simple_calls;
pub mod simple_inaccessible;
pub mod simple_interface_object;
pub mod simple_requires_provides;
pub mod typename;
pub mod unavailable_override;
pub mod union_interface_distributed;
pub mod union_intersection;

use crate::fixture::Fixture;

/// The audit fixtures, by name (each is also composed against Apollo's
/// composition).
pub fn fixtures() -> Vec<(&'static str, Fixture)> {
    vec![
        ("audit-abstract-types", abstract_types::fixture()),
        ("audit-child-type-mismatch", child_type_mismatch::fixture()),
        (
            "audit-circular-reference-interface",
            circular_reference_interface::fixture(),
        ),
        (
            "audit-corrupted-supergraph-node-id",
            corrupted_supergraph_node_id::fixture(),
        ),
        ("audit-enum-intersection", enum_intersection::fixture()),
        (
            "audit-fed1-external-extends",
            external_extensions::fixture(false, true),
        ),
        (
            "audit-fed1-external-extension",
            external_extensions::fixture(false, false),
        ),
        (
            "audit-fed2-external-extends",
            external_extensions::fixture(true, true),
        ),
        (
            "audit-fed2-external-extension",
            external_extensions::fixture(true, false),
        ),
        (
            "audit-fed1-external-extends-resolvable",
            external_extensions::resolvable(),
        ),
        ("audit-include-skip", include_skip::fixture()),
        (
            "audit-input-object-intersection",
            input_object_intersection::fixture(),
        ),
        (
            "audit-interface-object-indirect-extension",
            interface_object_indirect_extension::fixture(),
        ),
        (
            "audit-interface-object-with-requires",
            interface_object_with_requires::fixture(),
        ),
        ("audit-keys-mashup", keys_mashup::fixture()),
        (
            "audit-override-with-requires",
            override_with_requires::fixture(),
        ),
        ("audit-parent-entity-call", parent_entity_call::fixture()),
        (
            "audit-parent-entity-call-complex",
            parent_entity_call_complex::fixture(),
        ),
        (
            "audit-provides-on-interface",
            provides_on_interface::fixture(),
        ),
        ("audit-provides-on-union", provides_on_union::fixture()),
        ("audit-requires-interface", requires_interface::fixture()),
        ("audit-requires-requires", requires_requires::fixture()),
        (
            "audit-requires-with-argument",
            requires_with_argument::fixture(),
        ),
        (
            "audit-requires-with-fragments",
            requires_with_fragments::fixture(),
        ),
        ("audit-shared-root", shared_root::fixture()),
        ("audit-simple-entity-call", simple_calls::entity_call()),
        ("audit-simple-inaccessible", simple_inaccessible::fixture()),
        (
            "audit-simple-interface-object",
            simple_interface_object::fixture(),
        ),
        ("audit-simple-override", simple_calls::overrides()),
        (
            "audit-simple-requires-provides",
            simple_requires_provides::fixture(),
        ),
        ("audit-typename", typename::fixture()),
        (
            "audit-unavailable-override",
            unavailable_override::fixture(),
        ),
        (
            "audit-union-interface-distributed",
            union_interface_distributed::fixture(),
        ),
        ("audit-union-intersection", union_intersection::fixture()),
    ]
}
