package arichat

import java.io.File
import java.time.Instant
import org.json.JSONObject
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import io.github.arichat.ArichatException
import io.github.arichat.Lead
import io.github.arichat.version
import io.github.arichat.core.Channel
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.Value

// Shared by the test classes of this package.

internal val t0: Instant = Instant.parse("2026-01-05T14:00:00Z")

internal fun newLead(): Lead = Lead("lead-1", "acme", "c-1", Channel.WHATSAPP, t0)

/** Runs `block`, expects it to throw the core error `code`, returns the exception. */
internal fun coreError(code: ErrorCode, block: () -> Unit): ArichatException.Core {
    val err = assertFailsWith<ArichatException.Core> { block() }
    assertEquals(code, err.code, err.msg)
    return err
}

/** A file of the repository, by its path from the root. */
internal fun repoFile(path: String): File =
    File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set")).resolveSibling(path)

/** The `version` of `[workspace.package]` in the root Cargo.toml. */
internal fun workspaceVersion(): String {
    val cargoToml = File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set"))
    var inWorkspacePackage = false
    for (line in cargoToml.readLines().map { it.trim() }) {
        if (line.startsWith("[")) inWorkspacePackage = line == "[workspace.package]"
        val m = Regex("""^version\s*=\s*"([^"]+)"""").find(line)
        if (inWorkspacePackage && m != null) return m.groupValues[1]
    }
    error("no version in [workspace.package] of $cargoToml")
}

/** A JSON object of attributes as core values: null, booleans, numbers, text. */
internal fun jsonValues(o: JSONObject): Map<String, Value> = o.keySet().associateWith { k ->
    when (val v = o.get(k)) {
        JSONObject.NULL -> Value.Null
        is Boolean -> Value.Bool(v)
        is Number -> Value.Number(v.toDouble())
        is String -> Value.Text(v)
        else -> error("attribute $k: $v")
    }
}

/**
 * The `;`-separated bank customers (`examples/campaigns/customers.csv`, the UCI file's
 * layout) by customer id (the `customer_id` column, else `bk-` and the line number, as the
 * Rust benchmark names them), each cell typed as `Value.infer` types it: empty is null,
 * true/false a boolean, a number a number, anything else text.
 */
internal fun readBankCsv(file: File, limit: Int = Int.MAX_VALUE): Map<String, Map<String, Value>> {
    val lines = file.bufferedReader().lineSequence().iterator()
    val unquote = { s: String -> s.trim().removeSurrounding("\"") }
    val headers = lines.next().split(';').map(unquote)
    val idColumn = headers.indexOf("customer_id")
    val out = LinkedHashMap<String, Map<String, Value>>()
    var n = 0
    while (lines.hasNext() && out.size < limit) {
        n++
        val cells = lines.next().split(';').map(unquote)
        val id = if (idColumn >= 0) cells[idColumn] else "bk-%05d".format(n)
        out[id] = headers.zip(cells).associate { (h, c) ->
            h to when {
                c.isEmpty() -> Value.Null
                c.equals("true", ignoreCase = true) || c.equals("false", ignoreCase = true) -> Value.Bool(c.lowercase() == "true")
                c.toDoubleOrNull()?.isFinite() == true -> Value.Number(c.toDouble())
                else -> Value.Text(c)
            }
        }
    }
    return out
}
