INSERT INTO configuration_documents (kind, id, version, document, updated_unix_nano)
VALUES ($kind, $id, 1, $document, $updated)
