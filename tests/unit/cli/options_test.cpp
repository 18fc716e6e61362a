#include "cli/options.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace imgvisa;

TEST_CASE("options: every flag value by its name, nothing else") {
  CHECK(ParseColorChoice("auto") == ColorChoice::kAuto);
  CHECK(ParseColorChoice("always") == ColorChoice::kAlways);
  CHECK(ParseColorChoice("never") == ColorChoice::kNever);
  CHECK_FALSE(ParseColorChoice("Always"));
  CHECK_FALSE(ParseColorChoice(""));

  CHECK(ParseCheckFormat("text") == CheckFormat::kText);
  CHECK(ParseCheckFormat("json") == CheckFormat::kJson);
  CHECK(ParseCheckFormat("ndjson") == CheckFormat::kNdjson);
  CHECK_FALSE(ParseCheckFormat("markdown"));
  CHECK(ParseCheckDetail("full") == CheckDetail::kFull);
  CHECK(ParseCheckDetail("summary") == CheckDetail::kSummary);
  CHECK(ParseCheckDetail("short") == CheckDetail::kShort);
  CHECK_FALSE(ParseCheckDetail("brief"));

  CHECK(ParseDiffFormat("text") == DiffFormat::kText);
  CHECK(ParseDiffFormat("ndjson") == DiffFormat::kNdjson);
  CHECK_FALSE(ParseDiffFormat("json"));

  for (auto [name, format] :
       {std::pair{"text", ExplainFormat::kText}, std::pair{"markdown", ExplainFormat::kMarkdown},
        std::pair{"json", ExplainFormat::kJson}}) {
    CHECK(ParseExplainFormat(name) == format);
    CHECK(FormatName(format) == name);
  }
  CHECK_FALSE(ParseExplainFormat("yaml"));

  CHECK(ParseLintFormat("text") == LintFormat::kText);
  CHECK(ParseLintFormat("json") == LintFormat::kJson);
  CHECK(ParseLintFormat("github") == LintFormat::kGithub);
  CHECK(ParseLintFormat("sarif") == LintFormat::kSarif);
  CHECK_FALSE(ParseLintFormat("junit"));

  CHECK(ParseDocsPage("pathways") == DocsPage::kPathways);
  CHECK(ParseDocsPage("profile") == DocsPage::kProfile);
  CHECK_FALSE(ParseDocsPage("rules"));
  CHECK(ParseSchemaKind("profile") == SchemaKind::kProfile);
  CHECK(ParseSchemaKind("rules") == SchemaKind::kRules);
  CHECK_FALSE(ParseSchemaKind("pathways"));
}

TEST_CASE("options: color as chosen, on a terminal for auto, never with NO_COLOR set") {
  for (bool terminal : {false, true}) {
    CHECK(UseColor(ColorChoice::kAlways, nullptr, terminal));
    CHECK_FALSE(UseColor(ColorChoice::kNever, nullptr, terminal));
    CHECK(UseColor(ColorChoice::kAuto, nullptr, terminal) == terminal);
    CHECK(UseColor(ColorChoice::kAuto, "", terminal) == terminal);  // empty: as if unset
    for (ColorChoice choice : {ColorChoice::kAuto, ColorChoice::kAlways, ColorChoice::kNever}) {
      CHECK_FALSE(UseColor(choice, "1", terminal));
    }
  }
}

TEST_CASE("options: check's flags resolved, or the first usage error") {
  CheckOptions options;
  options.inputs = {"a.json", "-"};
  options.as_of = "2026-11-21";
  options.format = "ndjson";
  options.detail = "summary";
  options.pathways = {"h1b"};
  options.what_if = {"usmle.step3.status=passed"};
  options.color = true;
  options.next_steps = false;
  options.jobs = 3;
  std::ostringstream err;
  std::optional<CheckConfig> config = ResolveCheckOptions(options, err);
  REQUIRE(config);
  CHECK(err.str().empty());
  CHECK(config->inputs == options.inputs);
  CHECK(config->as_of.ToString() == "2026-11-21");
  CHECK(config->format == CheckFormat::kNdjson);
  CHECK(config->detail == CheckDetail::kSummary);
  CHECK(config->pathways == options.pathways);
  CHECK(config->what_if == options.what_if);
  CHECK(config->color);
  CHECK_FALSE(config->next_steps);
  CHECK(config->jobs == 3);
  options.jobs = 0;  // one per CPU, and at least one
  CHECK(ResolveCheckOptions(options, err)->jobs >= 1);

  auto error = [](const CheckOptions& o) {
    std::ostringstream e;
    CHECK_FALSE(ResolveCheckOptions(o, e));
    return e.str();
  };
  CheckOptions bad = options;
  bad.as_of = "2026-02-30";
  bad.format = "yaml";  // the date is reported first
  CHECK(error(bad) == "imgvisa check: --as-of must be a date YYYY-MM-DD, not \"2026-02-30\"\n");
  bad.as_of = "2026-11-21";
  CHECK(error(bad) == "imgvisa check: --format must be text, json or ndjson, not \"yaml\"\n");
  bad = options;
  bad.inputs.clear();
  CHECK(error(bad) == "imgvisa check: name at least one profile, or - for standard input\n");
  bad = options;
  bad.detail = "brief";
  CHECK(error(bad) == "imgvisa check: --detail must be short, full or summary, not \"brief\"\n");
  bad.detail = "short";
  CHECK(error(bad) ==
        "imgvisa check: --detail short is for text output; json and ndjson take full or "
        "summary\n");
  bad = options;
  bad.format = "text";
  CHECK(error(bad) ==
        "imgvisa check: --detail summary is for --format json or ndjson; text output always "
        "gives the reasons\n");
}

TEST_CASE("options: diff, explain and lint resolved, or the first usage error") {
  std::ostringstream err;
  DiffOptions diff;
  diff.old_rules = "old";
  diff.new_rules = "new";
  diff.inputs = {"-"};
  diff.as_of = "2026-11-21";
  diff.format = "ndjson";
  std::optional<DiffConfig> d = ResolveDiffOptions(diff, err);
  REQUIRE(d);
  CHECK(d->format == DiffFormat::kNdjson);
  CHECK(d->old_rules == "old");
  CHECK(d->new_rules == "new");
  diff.format = "json";
  CHECK_FALSE(ResolveDiffOptions(diff, err));
  diff.format = "text";
  diff.new_rules.clear();
  CHECK_FALSE(ResolveDiffOptions(diff, err));
  diff.new_rules = "new";
  diff.inputs.clear();
  CHECK_FALSE(ResolveDiffOptions(diff, err));
  CHECK(err.str() ==
        "imgvisa diff: --format must be text or ndjson, not \"json\"\n"
        "imgvisa diff: name both rule sets with --old and --new\n"
        "imgvisa diff: name at least one profile, or - for NDJSON on standard input\n");

  err.str("");
  ExplainOptions explain;
  explain.as_of = "yesterday";
  CHECK_FALSE(ResolveExplainOptions(explain, err));
  explain.all_versions = true;  // no date to read then
  std::optional<ExplainConfig> e = ResolveExplainOptions(explain, err);
  REQUIRE(e);
  CHECK_FALSE(e->as_of);
  CHECK(e->format == ExplainFormat::kText);
  explain.all_versions = false;
  explain.as_of = "2026-11-21";
  explain.format = "markdown";
  e = ResolveExplainOptions(explain, err);
  REQUIRE(e);
  CHECK(e->as_of->ToString() == "2026-11-21");
  CHECK(e->format == ExplainFormat::kMarkdown);
  explain.format = "yaml";
  CHECK_FALSE(ResolveExplainOptions(explain, err));
  CHECK(err.str() ==
        "imgvisa explain: --as-of must be a date YYYY-MM-DD, not \"yesterday\"\n"
        "imgvisa explain: --format must be text, markdown or json\n");

  err.str("");
  LintCommandOptions lint;
  lint.as_of = "2026-11-21";
  lint.format = "sarif";
  lint.strict = true;
  lint.allow = {"W101"};
  std::optional<LintConfig> l = ResolveLintOptions(lint, err);
  REQUIRE(l);
  CHECK(l->format == LintFormat::kSarif);
  CHECK(l->strict);
  CHECK(l->allow == lint.allow);
  CHECK(l->stale_after == 365);
  CHECK(l->stale_after_volatile == 180);
  lint.format = "junit";
  CHECK_FALSE(ResolveLintOptions(lint, err));
  lint.format = "text";
  lint.stale_after_volatile = -1;
  CHECK_FALSE(ResolveLintOptions(lint, err));
  CHECK(err.str() ==
        "imgvisa lint: --format must be text, json, github or sarif\n"
        "imgvisa lint: staleness limits must not be negative\n");
}
