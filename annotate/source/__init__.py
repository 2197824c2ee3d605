"""The torch sources read: the snapshot, the object index, name resolution, statement geometry."""
