using System.CommandLine;
using Threadline.Commands;

var root = new RootCommand("Threadline: observability for serverless applications, with every request followed across async hops.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(AuthCommand.Create());
VersionOutput.ReplaceDefault(root);
return await root.Parse(args).InvokeAsync();
