using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;
using NewsPortal.Web.Api;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Data;
using NewsPortal.Web.Feeds;
using NewsPortal.Web.Import;
using NewsPortal.Web.Languages;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sitemaps;
using NewsPortal.Web.Sources;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web;

/// <summary>The registrations behind Program.cs, grouped by what they are for.</summary>
public static class PortalServices
{
    /// <summary>
    /// A statement or save that fails where the portal expects it may (two saves racing for a name or a revision
    /// number, retried or answered 409) is a warning in the log, not an error: EF Core logs every failure as an error
    /// before the portal sees it. One the portal does not handle still ends the request with the error logged.
    /// </summary>
    public static DbContextOptionsBuilder HandledFailuresAsWarnings(DbContextOptionsBuilder options)
        => options.ConfigureWarnings(warnings => warnings.Log(
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Warning),
            (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Warning)));

    public const string LoginRateLimit = "login";

    /// <summary>
    /// Settings and the store: SQLite by default (in App_Data/ under the content root unless configured otherwise) or
    /// PostgreSQL, and the key ring for cookies and antiforgery (in Redis when nodes share one).
    /// </summary>
    public static IServiceCollection AddNewsPortalStore(this IServiceCollection services, StoreSettings store, IConfiguration configuration, IWebHostEnvironment environment)
    {
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.AddListedNetworks(configuration))
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(store);
        if (store.Redis is { } redis)
        {
            services.AddSingleton(_ => redis.Value);
        }

        // EF Core's check that no two queries share a context at once sets an async-local value around every row it
        // reads: a tenth of an uncached page's allocations. Production leaves it out; tests and development keep it,
        // where such a mistake would be caught.
        var checkThreads = !environment.IsProduction();
        if (store.Provider == StoreProvider.Postgres)
        {
            var connectionString = configuration.GetConnectionString("NewsPortal")
                ?? throw new SettingException("Database:Provider is Postgres, but ConnectionStrings:NewsPortal (an Npgsql connection string) is not set.");
            var prepared = StoreSettings.PreparePostgresConnectionString(connectionString);
            PostgresNewsDbContext.UseTimesWithoutZones();
            services.AddDbContextPool<NewsDbContext, PostgresNewsDbContext>(options => HandledFailuresAsWarnings(options.UseNpgsql(prepared)).EnableThreadSafetyChecks(checkThreads));
        }
        else
        {
            var connectionString = DatabaseInitializer.PrepareSqliteConnectionString(
                configuration.GetConnectionString("NewsPortal") ?? "Data Source=App_Data/newsportal.db", environment.ContentRootPath);
            // Pooled: setting up a context's services costs more than many a page's queries.
            services.AddDbContextPool<NewsDbContext>(options =>
                HandledFailuresAsWarnings(options.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup(), new SqliteCancellation())).EnableThreadSafetyChecks(checkThreads));
            if (new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString) is { DataSource: { Length: > 0 } path, Mode: not Microsoft.Data.Sqlite.SqliteOpenMode.Memory }
                && path != ":memory:")
            {
                services.AddHostedService(provider => new SqliteRunningSite(path, provider.GetRequiredService<ILogger<SqliteRunningSite>>()));
            }

            services.AddSingleton<SearchIndexUpkeep>();
            services.AddHostedService(provider => provider.GetRequiredService<SearchIndexUpkeep>());
        }

        services.AddStoreHealth(store);

        // Behind a reverse proxy, the client's address (for rate limits and logs) and scheme come from the proxy's
        // X-Forwarded-For and X-Forwarded-Proto, believed only from the addresses in Proxy:KnownProxies.
        var proxies = Setting.List(configuration, "Proxy:KnownProxies")
            .Select(address => Setting.Read("Proxy:KnownProxies", $"addresses separated by commas ('{address}' is not an IP address)", () => System.Net.IPAddress.Parse(address)))
            .ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
        });

        // Keys for sign-in cookies and antiforgery: in Redis when nodes share it, so a cookie from one node works on
        // all; otherwise beside the SQLite file (or in App_Data), so sessions survive a restart. Encrypted there with
        // the certificate DataProtection:Certificate names, if it names one.
        var dataProtection = services.AddDataProtection().SetApplicationName("NewsPortal");
        if (store.Redis is not null)
        {
            dataProtection.PersistKeysToStackExchangeRedis(() => store.Redis.Value.GetDatabase(), store.RedisPrefix + "data-protection-keys");
        }
        else
        {
            // The keys' folder readable by the site's user alone, as the library makes the files in it.
            var keys = Path.Combine(store.DataDirectory(configuration, environment), "keys");
            dataProtection.PersistKeysToFileSystem(OperatingSystem.IsWindows()
                ? Directory.CreateDirectory(keys)
                : Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }

        dataProtection.ProtectKeysWithConfiguredCertificate(configuration, environment.ContentRootPath);

        return services;
    }

    /// <summary>Accounts and who may do what: Identity cookies, the Editorial and AdminOnly policies, a rate limit on sign-in.</summary>
    public static IServiceCollection AddNewsPortalAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentity<PortalUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length over composition rules, as current password guidance advises.
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireDigit = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<NewsDbContext>()
            .AddUserStore<PortalUserStore>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<VisiblePasswordValidator>();
        services.AddSingleton<AuthenticatorKeys>();
        services.AddSingleton<WebhookSecrets>();
        // A site served over https sends its session cookie over https only, even when a proxy in front forgets to say
        // the request came that way (with it, ASP.NET Core would mark it so by itself). Not the antiforgery cookie,
        // whose library refuses to render a form over plain http then; it is worth nothing without the page's token.
        var cookiesSecure = PortalOptions.ServedOverHttps(configuration) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "newsportal.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = cookiesSecure;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = BrowserSessions.Idle;

            // Each session is a row the account's owner can see and end (BrowserSessions), checked after the stamp.
            var checkStamp = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                await checkStamp(context);
                if (context.Principal is not null)
                {
                    await context.HttpContext.RequestServices.GetRequiredService<BrowserSessions>().ValidateAsync(context);
                }
            };
            options.Events.OnSigningIn = context => context.HttpContext.RequestServices.GetRequiredService<BrowserSessions>().SigningInAsync(context);

            // To the sign-in page by its path: made absolute, it would be built from whatever Host header came.
            var redirectToLogin = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context =>
            {
                if (Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute))
                {
                    context.RedirectUri = absolute.PathAndQuery;
                }

                return redirectToLogin(context);
            };

            // Signed in but not an editor: answer 403 rather than bouncing to a login page they cannot use.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // Passkeys a browser can offer without a typed address (discoverable), each use checked with the device's lock
        // (PIN, fingerprint, face), so a passkey is two steps in one.
        services.Configure<IdentityPasskeyOptions>(options =>
        {
            options.ResidentKeyRequirement = "required";
            options.UserVerificationRequirement = "required";
            options.AuthenticatorTimeout = TwoStepSignIn.PendingFor;
        });
        services.AddSingleton<IPostConfigureOptions<IdentityPasskeyOptions>, PasskeyOrigin>();
        services.AddSingleton(TwoStepRule.From(configuration));
        services.AddSingleton<TwoStepRequired>();
        // Between a right password and its second step (read by the sign-in pages alone), and between a passkey's
        // challenge and its answer (Identity keeps it in its two-step scheme; editors add passkeys from the editors'
        // area): five minutes each.
        void ShortLived(CookieAuthenticationOptions options, string name, string path)
        {
            options.Cookie.Name = name;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = cookiesSecure;
            options.Cookie.Path = path;
            options.ExpireTimeSpan = TwoStepSignIn.PendingFor;
            options.SlidingExpiration = false;
        }

        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, options => ShortLived(options, "newsportal.passkey", "/"));
        // Disabling an account or resetting its password (both change its security stamp) ends its sessions on their
        // next request, not up to half an hour later: the stamp is checked on every request. Each check makes the session
        // a new principal from the account; how the session signed in (its "amr" claim, whether it took the second step)
        // and which session it is are the session's, not the account's, so they are carried over, or
        // Security:RequireTwoStep would send a session that took the step back to set it up from its next request on.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.Zero;
            options.OnRefreshingPrincipal = refreshing =>
            {
                foreach (var type in (string[])[TwoStepRule.MethodClaim, BrowserSessions.Claim])
                {
                    if (refreshing.CurrentPrincipal?.FindFirst(type) is { } claim && refreshing.NewPrincipal?.Identity is ClaimsIdentity identity
                        && !identity.HasClaim(c => c.Type == type))
                    {
                        identity.AddClaim(new Claim(type, claim.Value));
                    }
                }

                return Task.CompletedTask;
            };
        });
        // API writes take a personal token and nothing else: a cookie session never authorises them.
        services.AddAuthentication()
            .AddCookie(TwoStepSignIn.PendingScheme, options => ShortLived(options, "newsportal.two-step", "/account"))
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Editorial, policy => policy.RequireRole(Roles.Admin, Roles.Editor))
            .AddPolicy(Policies.AdminOnly, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(ApiEndpoints.EditorPolicy, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(Roles.Admin, Roles.Editor));

        services.AddSingleton<SignInAttempts>();
        services.AddSingleton<PasskeyChallenges>();
        services.AddScoped<KnownDevices>();
        services.AddScoped<BrowserSessions>();
        var limits = RateLimits.From(configuration);
        services.AddSingleton(limits);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInsPerMinute, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("reads"));

            // Per token when a request carries one, else per client address.
            options.AddPolicy(ApiEndpoints.RateLimitPolicy, context =>
                context.Request.Headers.Authorization.ToString() is { Length: > 7 } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter("token:" + ApiTokenService.Hash(authorization[7..].Trim()),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ApiTokenPerMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetFixedWindowLimiter("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "local"),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ApiPerMinute, Window = TimeSpan.FromMinutes(1) }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                        $"Slow down: try again in {seconds} seconds.");
                }
            };
        });
        return services;
    }

    /// <summary>
    /// The headers every response carries: a Content-Security-Policy that allows scripts and styles from the site
    /// itself only (no inline script or style anywhere, so no 'unsafe-inline'), images from anywhere over https (story
    /// bodies may show them), no framing; no MIME sniffing, a strict referrer policy, no powerful browser features,
    /// the site's own browsing context group; HSTS on https.
    /// </summary>
    public static HeaderPolicyCollection SecurityHeaders() => new HeaderPolicyCollection()
        .AddDefaultSecurityHeaders()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddScriptSrc().Self();
            csp.AddStyleSrc().Self();
            csp.AddImgSrc().Self().OverHttps().Data();
            csp.AddConnectSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().Self();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().None();
        })
        .AddPermissionsPolicy(policy =>
        {
            policy.AddDefaultSecureDirectives();
            // Passkeys, on the site's own pages only (the defaults turn WebAuthn off everywhere).
            policy.AddPublickeyCredentialsGet().Self();
            policy.AddPublickeyCredentialsCreate().Self();
        })
        .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin())
        .AddStrictTransportSecurityMaxAgeIncludeSubDomains();

    /// <summary>The feature services and the Razor Pages, with the admin area locked in one place.</summary>
    public static IServiceCollection AddNewsPortalFeatures(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<ComparedStories>();
        services.AddScoped<ArticleService>();
        services.AddScoped<CategoryService>();
        services.AddScoped<Threads.ThreadService>();
        services.AddSingleton<PreviewLinks>();
        services.AddScoped<SourceService>();
        services.AddScoped<LanguageService>();
        services.AddScoped<FeedService>();
        services.AddScoped<ArticleInserter>();
        services.AddScoped<ArticleWriter>();
        services.AddScoped<ImportService>();
        services.AddScoped<ExportService>();
        services.AddScoped<StoreMove>();
        services.AddSingleton<ImportJobs>();
        services.AddHostedService(provider => provider.GetRequiredService<ImportJobs>());
        // On SIGTERM the site stops listening, then finishes the requests and imports in flight for up to this long.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(60));
        services.AddScoped<AuditLog>();
        services.AddScoped<UserService>();
        services.AddScoped<TwoStepSignIn>();
        services.AddScoped<Passkeys>();
        services.AddScoped<ArticleAdminService>();
        services.AddScoped<NameAdminService>();
        services.AddScoped<SearchService>();
        services.AddMemoryCache();
        services.AddScoped<SearchSuggestions>();
        services.AddScoped<SitemapService>();
        services.AddScoped<WebhookOutbox>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<ArticleApiService>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status507InsufficientStorage && context.Exception is not null)
            {
                context.ProblemDetails.Title = "Out of space";
                context.ProblemDetails.Detail = StoreHealth.OutOfSpace;
            }

            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable && context.Exception is not null)
            {
                context.ProblemDetails.Title = "Briefly unavailable";
                context.ProblemDetails.Detail = StoreDialect.IsHeldByAnotherWriter(context.Exception)
                    ? $"The request was not completed: {StoreHealth.HeldByAnotherWriter}. Try again once it has finished."
                    : "The store did not answer just now, so the request was not completed. Try again in a few seconds.";
                StoreHealth.AskToComeBack(context.HttpContext.Response);
            }

            // Errors the framework answers itself (no such route, wrong method or media type) still say what went wrong.
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "There is nothing at this address in the API; see /openapi/v1.json.",
                StatusCodes.Status405MethodNotAllowed => "This address does not take that method; see /openapi/v1.json.",
                StatusCodes.Status415UnsupportedMediaType => context.HttpContext.Request.Path.StartsWithSegments("/api/v1/import")
                    ? ApiEndpoints.ImportMediaTypes
                    : "Send the body as application/json.",
                StatusCodes.Status400BadRequest => ApiProblems.BindingFailure(context.HttpContext) ?? "The request could not be read.",
                _ => null,
            };
        });
        services.AddOpenApi();
        services.AddScoped<WebhookService>();
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<PortalOptions>>((timeouts, portal) => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(portal.Value.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = context => context.Request.Path.StartsWithSegments("/api")
                ? ApiProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Request timed out",
                    $"The request took longer than {portal.Value.RequestTimeoutSeconds:0.###} s (Portal:RequestTimeoutSeconds) and was stopped.")
                : context.Response.WriteAsync("The request took too long and was stopped. Try again in a moment."),
        });

        // Webhook deliveries leave through one named client: no redirects followed (a POST must not turn into a GET
        // somewhere else), no cookies kept (one subscriber's cookies are no business of another's), and connections
        // made only to public addresses.
        services.AddHttpClient(WebhookSender.HttpClientName, (provider, client) =>
            {
                client.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("NewsPortal-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                // Straight to the subscriber: through a proxy, the address check would see only the proxy's.
                UseProxy = false,
                ConnectCallback = provider.GetRequiredService<WebhookTargets>().ConnectAsync,
            });
        services.AddSingleton(provider => WebhookTargets.From(provider.GetRequiredService<IOptions<WebhookOptions>>().Value));

        // One sender: the hosted loop and anyone running a pass by hand (the tests) share it and its one-pass-at-a-time lock.
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookSender>());
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/";
            options.Conventions.AuthorizeFolder("/Admin", Policies.Editorial);
            options.Conventions.AuthorizePage("/Admin/Users", Policies.AdminOnly);
            options.Conventions.AuthorizePage("/Admin/Audit", Policies.AdminOnly);
            options.Conventions.AuthorizePage("/Admin/Webhooks", Policies.AdminOnly);
            // Security:RequireTwoStep: every editors' page but the two that set a second step up (the app, a passkey).
            options.Conventions.AddFolderApplicationModelConvention("/Admin", model =>
            {
                if (model.ViewEnginePath is not ("/Admin/TwoStep" or "/Admin/Passkeys"))
                {
                    model.Filters.Add(new Microsoft.AspNetCore.Mvc.ServiceFilterAttribute(typeof(TwoStepRequired)));
                }
            });
            options.Conventions.AddPageApplicationModelConvention("/Admin/Import", model => model.EndpointMetadata.Add(new DisableRequestTimeoutAttribute()));
            options.Conventions.AddPageApplicationModelConvention("/Accounts/Login",
                model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute(LoginRateLimit)));
            options.Conventions.AddPageApplicationModelConvention("/Accounts/TwoStep",
                model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute(LoginRateLimit)));
        }).AddMvcOptions(options =>
        {
            options.ModelBinderProviders.Insert(0, new CleanTextModelBinderProvider());
            options.Filters.Add<UnansweredMethods>();
            options.Filters.Add<RefusedForms>();
        });
        return services;
    }
}
