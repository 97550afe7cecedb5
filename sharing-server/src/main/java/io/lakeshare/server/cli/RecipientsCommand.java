package io.lakeshare.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.lakeshare.server.auth.TokenHash;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recipients create|rotate|revoke|list|profile}: edits a recipients file (the config's
 * {@code recipientsFile}, which a running server reloads) and writes recipients' profile files.
 * Only token hashes are written to the recipients file; a new token appears once, in the profile.
 */
@Command(
    name = "recipients",
    mixinStandardHelpOptions = true,
    description = "Manage the recipients file of a Lakeshare server.",
    subcommands = {
      RecipientsCommand.Create.class,
      RecipientsCommand.Rotate.class,
      RecipientsCommand.Revoke.class,
      RecipientsCommand.ListCommand.class,
      RecipientsCommand.Profile.class
    })
final class RecipientsCommand implements Callable<Integer> {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON = new ObjectMapper();

  static Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  /** Options every subcommand has. */
  static class FileOption {
    @Option(
        names = "--file",
        required = true,
        description = "the recipients file (the server config's recipientsFile)")
    Path file;
  }

  /** Options of the commands that hand out a token. */
  static class ProfileOptions {
    @Option(
        names = "--endpoint",
        required = true,
        description = "the server's endpoint URL, as recipients reach it")
    String endpoint;

    @Option(names = "--profile", required = true, description = "where to write the profile file")
    Path profile;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Add a recipient.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();
    @CommandLine.Mixin ProfileOptions profile = new ProfileOptions();

    @Option(names = "--name", required = true)
    String name;

    @Option(
        names = "--grant",
        required = true,
        description = "share, share.schema or share.schema.table; repeatable")
    List<String> grants;

    @Option(names = "--expires-at", description = "RFC 3339 end of the token's validity")
    OffsetDateTime expiresAt;

    @Option(names = "--property", description = "key=value, for partition filters; repeatable")
    Map<String, String> properties;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ObjectNode root = read(file.file);
      ArrayNode list = recipients(root);
      if (find(list, name) != null) {
        throw new IllegalArgumentException("recipient '" + name + "' already exists");
      }
      ObjectNode r = list.addObject();
      r.put("name", name);
      String token = TokenHash.newToken();
      r.put("tokenHash", TokenHash.of(token));
      if (expiresAt != null) {
        r.put("expiresAt", expiresAt.toInstant().toString());
      }
      ArrayNode g = r.putArray("grants");
      for (String grant : grants) {
        g.add(grant(grant));
      }
      if (properties != null && !properties.isEmpty()) {
        ObjectNode p = r.putObject("properties");
        properties.forEach(p::put);
      }
      writeProfile(profile, token, expiresAt == null ? null : expiresAt.toInstant());
      write(file.file, root);
      spec.commandLine()
          .getOut()
          .println("Created recipient '" + name + "'; its profile is " + profile.profile);
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Give a recipient a new token; the old one stays valid for the grace period.")
  static final class Rotate implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();
    @CommandLine.Mixin ProfileOptions profile = new ProfileOptions();

    @Option(names = "--name", required = true)
    String name;

    @Option(
        names = "--grace",
        defaultValue = "PT24H",
        description = "how long the old token stays valid (ISO-8601 duration, default PT24H)")
    Duration grace;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ObjectNode root = read(file.file);
      ObjectNode r = find(recipients(root), name);
      if (r == null) {
        throw new IllegalArgumentException("no recipient '" + name + "'");
      }
      if (grace.isNegative()) {
        throw new IllegalArgumentException("--grace must not be negative");
      }
      if (r.hasNonNull("tokenHash")) {
        r.put("previousTokenHash", r.get("tokenHash").asText());
        r.put("previousTokenExpiresAt", clock.instant().plus(grace).toString());
      }
      reissue(root, r, file.file, profile);
      spec.commandLine()
          .getOut()
          .println(
              "Rotated the token of '"
                  + name
                  + "'; the old one stays valid for "
                  + grace
                  + "; the new profile is "
                  + profile.profile);
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Remove a recipient: its tokens stop working at the server's next reload.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();

    @Option(names = "--name", required = true)
    String name;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ObjectNode root = read(file.file);
      ArrayNode list = recipients(root);
      boolean removed = false;
      for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
        if (it.next().path("name").asText().equalsIgnoreCase(name)) {
          it.remove();
          removed = true;
        }
      }
      if (!removed) {
        throw new IllegalArgumentException("no recipient '" + name + "'");
      }
      write(file.file, root);
      spec.commandLine().getOut().println("Revoked recipient '" + name + "'");
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Show each recipient's grants, token expiry and last use (as the running server"
              + " records it beside the file).")
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Map<String, Instant> lastUse =
          io.lakeshare.server.auth.LastUse.read(
              io.lakeshare.server.auth.LastUse.fileFor(file.file));
      for (JsonNode r : recipients(read(file.file))) {
        Instant used = lastUse.get(r.path("name").asText().toLowerCase(Locale.ROOT));
        List<String> grants = new ArrayList<>();
        for (JsonNode g : r.path("grants")) {
          String share = g.path("share").asText();
          if (!g.has("schemas") && !g.has("tables")) {
            grants.add(share);
          }
          g.path("schemas").forEach(s -> grants.add(share + "." + s.asText()));
          g.path("tables").forEach(t -> grants.add(share + "." + t.asText()));
        }
        out.println(
            r.path("name").asText()
                + "\tgrants="
                + String.join(",", grants)
                + "\texpiresAt="
                + (r.hasNonNull("expiresAt") ? r.get("expiresAt").asText() : "never")
                + (r.hasNonNull("previousTokenExpiresAt")
                    ? "\tpreviousTokenUntil=" + r.get("previousTokenExpiresAt").asText()
                    : "")
                + "\tlastUse="
                + (used == null ? "never" : used.toString()));
      }
      return 0;
    }
  }

  @Command(
      name = "profile",
      mixinStandardHelpOptions = true,
      description =
          "Write a recipient's profile anew, for a lost or leaked one: only the token's hash is"
              + " kept, so this issues a new token and the old one stops working at once (use"
              + " 'rotate' for a change with a grace period).")
  static final class Profile implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();
    @CommandLine.Mixin ProfileOptions profile = new ProfileOptions();

    @Option(names = "--name", required = true)
    String name;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ObjectNode root = read(file.file);
      ObjectNode r = find(recipients(root), name);
      if (r == null) {
        throw new IllegalArgumentException("no recipient '" + name + "'");
      }
      r.remove("previousTokenHash");
      r.remove("previousTokenExpiresAt");
      reissue(root, r, file.file, profile);
      spec.commandLine()
          .getOut()
          .println(
              "Wrote a new profile for '"
                  + name
                  + "' to "
                  + profile.profile
                  + "; every earlier token of it is void");
      return 0;
    }
  }

  /**
   * Gives recipient {@code r} a new token: its hash replaces the stored one, the profile gets the
   * token and the recipient's expiry, and the file is written.
   */
  private static void reissue(ObjectNode root, ObjectNode r, Path file, ProfileOptions profile)
      throws IOException {
    String token = TokenHash.newToken();
    r.remove("token");
    r.put("tokenHash", TokenHash.of(token));
    Instant expiry =
        r.hasNonNull("expiresAt")
            ? OffsetDateTime.parse(r.get("expiresAt").asText()).toInstant()
            : null;
    writeProfile(profile, token, expiry);
    write(file, root);
  }

  private static ObjectNode grant(String text) {
    String[] parts = text.split("\\.", 3);
    ObjectNode g = JsonNodeFactory.instance.objectNode();
    g.put("share", parts[0]);
    if (parts.length == 2) {
      g.putArray("schemas").add(parts[1]);
    } else if (parts.length == 3) {
      g.putArray("tables").add(parts[1] + "." + parts[2]);
    }
    return g;
  }

  private static ObjectNode read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode n = YAML.readTree(file.toFile());
    if (n == null || n.isMissingNode() || n.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(file + " is not a mapping with 'recipients'");
    }
    return (ObjectNode) n;
  }

  private static ArrayNode recipients(ObjectNode root) {
    JsonNode list = root.get("recipients");
    if (list == null || list.isNull()) {
      return root.putArray("recipients");
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("'recipients' is not a list");
    }
    return (ArrayNode) list;
  }

  private static ObjectNode find(ArrayNode list, String name) {
    for (JsonNode r : list) {
      if (r.path("name").asText().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return (ObjectNode) r;
      }
    }
    return null;
  }

  /** Replaces the file in one rename, so the server never reads half of it. */
  private static void write(Path file, ObjectNode root) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".recipients-", ".tmp");
    YAML.writeValue(tmp.toFile(), root);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeProfile(ProfileOptions p, String token, Instant expiry)
      throws IOException {
    ObjectNode profile = JSON.createObjectNode();
    profile.put("shareCredentialsVersion", 1);
    profile.put("endpoint", p.endpoint);
    profile.put("bearerToken", token);
    if (expiry != null) {
      profile.put("expirationTime", expiry.toString());
    }
    Files.writeString(p.profile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(profile));
  }
}
