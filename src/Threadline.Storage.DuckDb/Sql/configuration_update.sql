UPDATE configuration_documents
SET version = version + 1, document = $document, updated_unix_nano = $updated
WHERE kind = $kind AND id = $id AND version = $version
