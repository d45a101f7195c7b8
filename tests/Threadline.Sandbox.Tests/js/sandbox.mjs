// Shared client configuration: the real AWS SDK for JavaScript v3 pointed at the sandbox endpoint.
export const config = {
  endpoint: process.env.SANDBOX_ENDPOINT,
  region: process.env.SANDBOX_REGION ?? "us-east-1",
  credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
  maxAttempts: 1,
};

// Prints the script's observations as one JSON document on stdout for the xunit test to check.
export function report(result) {
  process.stdout.write(JSON.stringify(result));
}
