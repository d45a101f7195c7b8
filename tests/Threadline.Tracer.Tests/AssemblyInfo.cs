// The tracer's hooks are process-wide (AWS pipeline, HttpClient listener, Console, fault injection): run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
