DELETE FROM configuration_documents
WHERE kind = $kind AND id = $id AND ($version IS NULL OR version = $version)
