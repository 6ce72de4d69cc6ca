//! The groups of entities that are one node of the graph (the gazetteer's
//! `same-as`), as the gazetteer sync stored them in `same_as`: read whole
//! by the graph and the exports, and one group at a time by the lookups
//! behind `why` and `mentions`.

use super::{EntityId, Store, StoreError};
use rustc_hash::FxHashMap;

/// Which node each grouped entity is, and each node's other members.
/// Entities of no group are their own node.
#[derive(Clone, Debug, Default)]
pub struct SameAs {
    node: FxHashMap<EntityId, EntityId>,
    others: FxHashMap<EntityId, Vec<EntityId>>,
}

impl SameAs {
    /// The groups of the links `(member, node)`.
    pub fn from_links(links: impl IntoIterator<Item = (EntityId, EntityId)>) -> SameAs {
        let mut groups = SameAs::default();
        for (member, node) in links {
            groups.node.insert(member, node);
            groups.others.entry(node).or_default().push(member);
        }
        for members in groups.others.values_mut() {
            members.sort_unstable();
        }
        groups
    }

    /// The node `entity` is one with: its group's, or itself.
    pub fn node(&self, entity: EntityId) -> EntityId {
        self.node.get(&entity).copied().unwrap_or(entity)
    }

    /// The members of the group whose node is `node`, other than itself,
    /// by id (none for an entity of no group, or a member).
    pub fn others(&self, node: EntityId) -> &[EntityId] {
        self.others
            .get(&node)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Whether no entity belongs to a group.
    pub fn is_empty(&self) -> bool {
        self.node.is_empty()
    }

    /// Every (member, node) link, in no order.
    pub fn links(&self) -> impl Iterator<Item = (EntityId, EntityId)> + '_ {
        self.node.iter().map(|(&member, &node)| (member, node))
    }
}

impl Store {
    /// Every group, in one pass over `same_as`.
    pub fn same_as(&self) -> Result<SameAs, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT entity_id, node_id FROM same_as")?;
        let links = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<(EntityId, EntityId)>, _>>()?;
        Ok(SameAs::from_links(links))
    }

    /// The node of `entity`'s group first, then its other members by id
    /// (`[entity]` for an entity of no group).
    pub fn group_of(&self, entity: EntityId) -> Result<Vec<EntityId>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "WITH node(id) AS (SELECT coalesce((SELECT node_id FROM same_as WHERE entity_id = ?1), ?1))
             SELECT id FROM node
             UNION ALL SELECT entity_id FROM (SELECT entity_id FROM same_as
                                              WHERE node_id = (SELECT id FROM node) ORDER BY entity_id)",
        )?;
        let ids = stmt.query_map([entity], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_and_members() {
        let groups = SameAs::from_links([(5, 2), (3, 2), (9, 7)]);
        assert_eq!(
            [1, 2, 3, 5, 7, 9].map(|id| groups.node(id)),
            [1, 2, 2, 2, 7, 7]
        );
        assert_eq!(groups.others(2), [3, 5]);
        assert!(groups.others(3).is_empty() && groups.others(1).is_empty());
        assert!(!groups.is_empty() && SameAs::default().is_empty());
    }
}
