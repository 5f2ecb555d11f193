package arichat

import java.io.File
import java.time.Instant
import org.json.JSONArray
import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import io.github.arichat.ProfileSet
import io.github.arichat.fitRfm
import io.github.arichat.profileKeys
import io.github.arichat.rfmScore
import io.github.arichat.core.ErrorCode

/** Customer profiles on the device: the shared vectors Rust, Python and Node check. */
class ProfileTest {
    private val root = File(System.getProperty("arichat.cargo.toml") ?: error("arichat.cargo.toml not set")).parentFile
    private val doc = JSONObject(root.resolve("tests/vectors/profiles.json").readText())
    private val expected = doc.getJSONObject("expected")

    private fun replay(): ProfileSet {
        val profiles = ProfileSet(doc.getJSONObject("options").toString())
        val events = doc.getJSONArray("events")
        for (i in 0 until events.length()) profiles.apply(events.getJSONObject(i).toString())
        val links = doc.getJSONArray("links")
        for (i in 0 until links.length()) {
            val pair = links.getJSONArray(i)
            assertTrue(profiles.link(pair.getString(0), pair.getString(1)))
        }
        return profiles
    }

    @Test
    fun `the shared vectors give the same profiles, keys and RFM scores`() {
        val events = doc.getJSONArray("events")
        val keys = JSONArray((0 until events.length()).map { JSONArray(profileKeys(events.getJSONObject(it).toString())) })
        assertTrue(keys.similar(expected.getJSONArray("keys")), "keys: $keys")

        val profiles = replay()
        val want = expected.getJSONArray("profiles")
        assertEquals(want.length().toULong(), profiles.size())
        val got = JSONArray(profiles.profiles().map { JSONObject(it) })
        assertTrue(got.similar(want), "profiles differ:\n$got\n$want")

        val now = Instant.parse(doc.getString("now"))
        val cuts = fitRfm(profiles.profiles(), now)
        assertTrue(JSONObject(cuts).similar(expected.getJSONObject("rfm_cuts")), "cuts: $cuts")
        val rfm = expected.getJSONArray("rfm")
        profiles.profiles().forEachIndexed { i, p ->
            val score = rfmScore(p, cuts, now)
            val w = rfm.getJSONObject(i)
            assertEquals(w.getInt("recency"), score.recency.toInt(), "profile $i")
            assertEquals(w.getInt("frequency"), score.frequency.toInt(), "profile $i")
            assertEquals(w.getInt("monetary"), score.monetary.toInt(), "profile $i")
        }
    }

    @Test
    fun `a profile round-trips through its JSON and is found by every key`() {
        val profiles = replay()
        val first = JSONObject(profiles.profiles()[0])
        val identities = first.getJSONArray("identities")
        for (i in 0 until identities.length()) {
            assertTrue(JSONObject(profiles.get(identities.getString(i))!!).similar(first))
        }
        assertNull(profiles.get("telegram:user:nobody"))
        // Replaying the same events rebuilds the same profiles.
        assertEquals(profiles.profiles(), replay().profiles())
    }

    @Test
    fun `bad JSON is a typed error`() {
        coreError(ErrorCode.INVALID_JSON) { ProfileSet("""{"half_life": 3}""") }
        coreError(ErrorCode.INVALID_JSON) { ProfileSet().apply("""{"kind": "message"}""") }
        coreError(ErrorCode.INVALID_JSON) { profileKeys("not json") }
    }
}
