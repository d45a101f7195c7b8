SELECT kind, id, version, document, updated_unix_nano
FROM configuration_documents
WHERE kind = $kind AND ($id IS NULL OR id = $id)
ORDER BY id
