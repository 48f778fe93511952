// Usage: mono aspnetcore-tests.exe RECEIVER_CASES_JSON: the shared receiver table through
// Hooksig.AspNetCore's endpoint (AspNetCoreCases.cs). Exits non-zero on any failure; every case
// runs (nothing is lost when ASP.NET Core groups a repeated header, so none is "not applicable"),
// then the publicUrl option by hand (AspNetCoreCases.TwilioBehindProxy).
using System;
using System.Collections.Generic;

namespace Hooksig.Tests
{
    internal static class AspNetCoreMain
    {
        public static int Main(string[] args)
        {
            if (args.Length != 1)
            {
                Console.Error.WriteLine("usage: aspnetcore-tests.exe RECEIVER_CASES_JSON");
                return 2;
            }
            int passed = 0, failed = 0;
            var notApplicable = new List<string>();
            int count = ReceiverCases.RunAll(args[0], "Hooksig.AspNetCore endpoint", AspNetCoreCases.Start, false, (name, test) =>
            {
                try
                {
                    test();
                    passed++;
                }
                catch (Exception e)
                {
                    failed++;
                    Console.Error.WriteLine("FAIL " + name + ": " + e.Message);
                }
            }, notApplicable);
            try
            {
                AspNetCoreCases.TwilioBehindProxy();
                passed++;
                count++;
            }
            catch (Exception e)
            {
                failed++;
                Console.Error.WriteLine("FAIL Hooksig.AspNetCore: a Twilio form POST behind a proxy needs publicUrl: " + e.Message);
            }
            Console.WriteLine("receiver cases through Hooksig.AspNetCore's endpoint: " + count + " run, " + passed + " passed, " + failed + " failed");
            return failed == 0 && notApplicable.Count == 0 && count > 0 && passed == count ? 0 : 1;
        }
    }
}
