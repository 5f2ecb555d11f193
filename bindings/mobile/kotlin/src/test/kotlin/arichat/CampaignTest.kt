package arichat

import java.io.File
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.time.Instant
import org.json.JSONArray
import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import io.github.arichat.ArichatException
import io.github.arichat.Assignment
import io.github.arichat.AssignmentCache
import io.github.arichat.AssignmentStore
import io.github.arichat.CampaignBundle
import io.github.arichat.CampaignCustomer
import io.github.arichat.Explanation
import io.github.arichat.campaignBucket
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.Reason

/**
 * What an app writes: one file per customer, replaced atomically. Test-only; an Android
 * app would use `SharedPreferences` or an encrypted file, an iOS app the Keychain.
 */
class FileStore(private val dir: File) : AssignmentStore {
    init {
        dir.mkdirs()
    }

    private fun file(customerId: String) = File(dir, "${customerId.toByteArray().joinToString("") { "%02x".format(it) }}.json")

    var saves = 0
        private set

    override fun load(customerId: String): String? = file(customerId).takeIf { it.exists() }?.readText()

    override fun save(customerId: String, json: String) {
        saves++
        val tmp = File.createTempFile("entry", ".tmp", dir)
        tmp.writeText(json)
        Files.move(tmp.toPath(), file(customerId).toPath(), StandardCopyOption.ATOMIC_MOVE)
    }

    override fun remove(customerId: String) {
        file(customerId).delete()
    }
}

/** A store whose storage is gone. */
class BrokenStore : AssignmentStore {
    override fun load(customerId: String): String? = throw java.io.IOException("disk unplugged")
    override fun save(customerId: String, json: String) = throw ArichatException.Store(ErrorCode.STORE_UNAVAILABLE, "read-only")
    override fun remove(customerId: String) = Unit
}

/** Tests of `CampaignBundle`, `AssignmentCache` and `AssignmentStore` (bindings/mobile/src/campaign.rs). */
class CampaignTest {
    private val root = File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set")).parentFile
    private val vectors = JSONObject(root.resolve("tests/vectors/campaigns.json").readText())
    private val vectorNow: Instant = Instant.parse(vectors.getString("now"))
    private val bank = CampaignBundle.fromToml(root.resolve("examples/campaigns/bank.toml").readText())
    private val bankCustomers = readBankCsv(root.resolve("examples/campaigns/customers.csv"))
    private val dec3: Instant = Instant.parse("2026-12-03T08:00:00Z")

    // The JSON shape of the core's serde (keys left out as it leaves them out), to compare with
    // the vectors' `expected` blocks as JSON.
    private fun json(a: Assignment) = JSONObject().apply {
        put("campaign_id", a.campaignId)
        a.variant?.let { put("variant", it) }
        put("reason", a.reason.name.lowercase())
        put("rule_path", a.rulePath)
        put("bucket", a.bucket.toInt())
        put("priority", a.priority)
        if (a.channels.isNotEmpty()) put("channels", JSONArray(a.channels.map { it.name.lowercase() }))
        put("offer", a.offerJson?.let { JSONObject(it) } ?: JSONObject.NULL)
    }

    private fun json(e: Explanation) = JSONObject().apply {
        put("campaign_id", e.campaignId)
        put("status", e.status.name.lowercase())
        e.reason?.let { put("reason", it.name.lowercase()) }
        e.rulePath?.let { put("rule_path", it) }
        e.excludedBy?.let { put("excluded_by", it) }
    }

    private fun assertSameJson(want: JSONArray, got: JSONArray, at: String) =
        assertTrue(want.similar(got), "$at:\nwant $want\ngot  $got")

    // The Rust core's crates/arichat-core/tests/conformance_campaigns.rs reads the same file.
    @Test
    fun givesTheSharedCampaignVectors() {
        val bundle = CampaignBundle.fromJson(vectors.getJSONObject("bundle").toString())
        val cases = vectors.getJSONArray("cases")
        assertTrue(cases.length() >= 15)
        for (i in 0 until cases.length()) {
            val case = cases.getJSONObject(i)
            val id = case.getString("customer_id")
            val attrs = jsonValues(case.getJSONObject("attributes"))
            val want = case.getJSONObject("expected")
            val at = "$id (${case.getString("note")})"
            assertSameJson(want.getJSONArray("assignments"), JSONArray(bundle.assign(id, attrs, vectorNow).map { json(it) }), at)
            assertSameJson(want.getJSONArray("explain"), JSONArray(bundle.explain(id, attrs, vectorNow).map { json(it) }), at)
            // The prepared customer (attributes handed over once, time as epoch ms) answers the same.
            val customer = CampaignCustomer(id, attrs)
            assertEquals(id, customer.id())
            assertSameJson(
                want.getJSONArray("assignments"),
                JSONArray(bundle.assignCustomer(customer, vectorNow.toEpochMilli()).map { json(it) }),
                "$at, prepared",
            )
        }
        val buckets = vectors.getJSONArray("buckets")
        for (i in 0 until buckets.length()) {
            val b = buckets.getJSONObject(i)
            assertEquals(b.getInt("bucket"), campaignBucket(b.getString("seed"), b.getString("customer_id")).toInt(), b.toString())
        }
        // The cache entry's expiry, read from what the cache saved.
        val dir = Files.createTempDirectory("campaigns").toFile()
        val case = cases.getJSONObject(0)
        val id = case.getString("customer_id")
        AssignmentCache(bundle, FileStore(dir)).assignments(id, jsonValues(case.getJSONObject("attributes")), vectorNow)
        val saved = JSONObject(assertNotNull(FileStore(dir).load(id)))
        val expiry = vectors.getJSONObject("expiry")
        assertEquals(expiry.getString("expires_at"), saved.getString("expires_at"))
        assertEquals(expiry.getString("stale_until"), saved.getString("stale_until"))
        // Refused bundles: the code, and the path in the message (the finer campaign code is
        // not carried by the coarse ArichatException).
        val errors = vectors.getJSONArray("errors")
        for (i in 0 until errors.length()) {
            val e = errors.getJSONObject(i)
            val want = e.getJSONObject("expected")
            val err = coreError(ErrorCode.valueOf(want.getString("code").uppercase())) {
                CampaignBundle.fromJson(e.getJSONObject("bundle").toString())
            }
            if (!want.isNull("path")) assertTrue(err.msg.contains(want.getString("path")), "${e.getString("note")}: ${err.msg}")
        }
    }

    @Test
    fun loadsTheBankBundleAndAssignsOnTheDevice() {
        assertEquals("bank-2026-12-03", bank.version())
        for ((id, attrs) in bankCustomers) {
            val got = bank.assign(id, attrs, dec3)
            assertTrue(got.size <= 3, "$id: max_per_customer")
            assertEquals(got.sortedByDescending { it.priority }, got, id)
            assertTrue(got.all { (it.reason == Reason.HOLDOUT) == (it.offerJson == null) }, id)
        }
        // A retiree of 75: the pension advance, by its rule (no split).
        val retiree = bank.assign("bk-30001", bankCustomers.getValue("bk-30001"), dec3)
        val pension = assertNotNull(retiree.find { it.campaignId == "pension_advance" }, retiree.toString())
        assertEquals(Reason.TARGETING_MATCH, pension.reason)
        assertEquals("eligibility", pension.rulePath)
        assertEquals("pension_advance", JSONObject(pension.offerJson).getString("product"))
        // The Christmas campaign starts on the 15th.
        val christmas = bank.explain("bk-30001", bankCustomers.getValue("bk-30001"), dec3).single { it.campaignId == "christmas_cashback" }
        assertEquals("NOT_STARTED", christmas.status.name)
        assertTrue(bank.assign("bk-30001", bankCustomers.getValue("bk-30001"), Instant.parse("2026-12-16T08:00:00Z")).any { it.campaignId == "christmas_cashback" })
    }

    @Test
    fun persistsAcrossARestartAndExpiresOnTheTtl() {
        val dir = Files.createTempDirectory("campaigns").toFile()
        val (id, attrs) = bankCustomers.entries.first { it.key == "bk-30001" }
        val first = AssignmentCache(bank, FileStore(dir)).assignments(id, attrs, dec3)
        assertTrue(first.isNotEmpty() && first.none { it.reason == Reason.CACHED })

        // "Restart": a new cache over a new store on the same files; attributes unknown yet.
        val store = FileStore(dir)
        val cache = AssignmentCache(bank, store)
        val early = assertNotNull(cache.stored(id, dec3.plusSeconds(3600)))
        assertEquals(first.map { it.campaignId }, early.map { it.campaignId })
        assertTrue(early.all { it.reason == Reason.CACHED || it.reason == Reason.HOLDOUT }, early.toString())
        val cached = cache.assignments(id, attrs, dec3.plusSeconds(23 * 3600))
        assertEquals(cached, cache.customerAssignments(CampaignCustomer(id, attrs), dec3.plusSeconds(23 * 3600).toEpochMilli()))
        assertEquals(first.map { it.copy(reason = Reason.CACHED) }.filter { it.offerJson != null }, cached.filter { it.offerJson != null })
        assertEquals(0, store.saves, "a fresh entry is not written again")

        // Past the 24 h TTL, within the 6 h grace: stale without attributes, recomputed with them.
        val late = dec3.plusSeconds(25 * 3600)
        assertTrue(assertNotNull(cache.stored(id, late)).all { it.reason == Reason.STALE || it.reason == Reason.HOLDOUT })
        val again = cache.assignments(id, attrs, late)
        assertEquals(first.map { it.campaignId }, again.map { it.campaignId })
        assertTrue(again.none { it.reason == Reason.CACHED || it.reason == Reason.STALE })
        assertEquals(1, store.saves)
        assertEquals(late.toString(), JSONObject(store.load(id)).getString("computed_at"))

        // Past the grace period nothing is served and the entry is gone from the phone.
        assertNull(cache.stored(id, late.plusSeconds(31 * 3600)))
        assertNull(store.load(id))
        // Logout.
        cache.assignments(id, attrs, late)
        cache.forget(id)
        assertNull(store.load(id))
    }

    @Test
    fun aNewBundleVersionRecomputes() {
        val dir = Files.createTempDirectory("campaigns").toFile()
        val text = root.resolve("examples/campaigns/bank.toml").readText()
        val attrs = bankCustomers.getValue("bk-30001")
        AssignmentCache(bank, FileStore(dir)).assignments("bk-30001", attrs, dec3)
        val next = CampaignBundle.fromToml(text.replace("bank-2026-12-03", "bank-2026-12-04"))
        val cache = AssignmentCache(next, FileStore(dir))
        assertNull(cache.stored("bk-30001", dec3))
        assertTrue(cache.assignments("bk-30001", attrs, dec3).none { it.reason == Reason.CACHED })
        assertEquals("bank-2026-12-04", JSONObject(FileStore(dir).load("bk-30001")).getString("bundle_version"))
    }

    @Test
    fun aBadBundleNamesTheRulePath() {
        val err = coreError(ErrorCode.INVALID_CAMPAIGN) {
            CampaignBundle.fromToml(
                """
                version = "1"
                [[campaigns]]
                id = "a"
                eligibility = { all = [{ field = "age", gte = 30 }, { in_segment = "vip" }] }
                """.trimIndent(),
            )
        }
        assertTrue(err.msg.contains("campaigns[0].eligibility.all[1].in_segment"), err.msg)
        coreError(ErrorCode.INVALID_CAMPAIGN) { CampaignBundle.fromJson("{") }
    }

    @Test
    fun aFailingStoreRaisesAStoreError() {
        val cache = AssignmentCache(bank, BrokenStore())
        val attrs = bankCustomers.getValue("bk-30001")
        val io = assertFailsWith<ArichatException.Store> { cache.assignments("bk-30001", attrs, dec3) }
        assertTrue(io.msg.contains("disk unplugged"), io.msg)
        assertEquals(ErrorCode.STORE_UNAVAILABLE, io.code)
        val readOnly = assertFailsWith<ArichatException.Store> { cache.refresh("bk-30001", attrs, dec3) }
        assertEquals("read-only", readOnly.msg)
    }

    @Test
    fun nowDefaultsToTheClock() {
        val dir = Files.createTempDirectory("campaigns").toFile()
        val cache = AssignmentCache(bank, FileStore(dir))
        val attrs = bankCustomers.getValue("bk-30001")
        cache.assignments("bk-30001", attrs)
        val saved = JSONObject(assertNotNull(FileStore(dir).load("bk-30001")))
        val computed = Instant.parse(saved.getString("computed_at"))
        assertTrue(computed <= Instant.now() && computed > Instant.now().minusSeconds(600), computed.toString())
        coreError(ErrorCode.TIME_OUT_OF_RANGE) { bank.assign("x", attrs, Instant.MAX) }
    }
}
