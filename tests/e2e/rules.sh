# rules.sh - the shipped rule set as a product: it compiles cleanly, lint
# finds nothing, no script says a forbidden phrase, the frozen test half is
# unchanged, and quality stays above the floors measured when they were set
# (regression gates; the issue's target bars are tracked in the notes).
. tests/e2e/lib.sh

# lint compiles (its findings include every compile warning) and leaves
# the table in the run's cache for every check below: one compile, not two.
expect_exit "lint rules/ is clean" 0 "$TRIAGE" lint rules/
expect_grep "lint prints zero findings" "^0 finding" "$TMP/out"
expect_no_grep "no compile warnings" "warning:" "$TMP/err"

want=$(sed -n 's/.*sha256 \([0-9a-f]*\)  test.jsonl.*/\1/p' corpus/README.md)
got=$(sha256sum corpus/test.jsonl | cut -d' ' -f1)
if [ -n "$want" ] && [ "$want" = "$got" ]; then pass "frozen test half unchanged"
else fail "frozen test half unchanged" "README says $want, file is $got"; fi

cat corpus/*.jsonl | sed -n 's/^{"id": *"\([^"]*\)".*/\1/p' > "$TMP/ids"
dups=$(sort "$TMP/ids" | uniq -d | head -3)
n_ids=$(wc -l < "$TMP/ids")
if [ -z "$dups" ] && [ "$n_ids" -eq "$(cat corpus/*.jsonl | grep -c .)" ]; then
    pass "corpus ids are unique across files"
else
    fail "corpus ids are unique across files" "repeated: $dups; $n_ids ids"
fi

# Floors: the figures when they were set, less a hair. The dev sets are
# in-sample for the Bayes models (rules/learned/), so their floors guard
# against regressions only; the test half is never learned or tuned on.
floors() {   # NAME TYPE_F1 ESCALATION_ACC L4_RECALL FILE...
    name=$1; f1=$2; acc=$3; l4=$4; shift 4
    expect_exit "$name above its floors" 0 "$TRIAGE" test --quiet \
        --min-f1 type="$f1" --min-accuracy escalation="$acc" \
        --min-recall escalation:L4="$l4" "$@"
}
floors "dev + dev2" 0.95 0.968 1 corpus/dev.jsonl corpus/dev2.jsonl
floors "dev3 + dev4" 0.97 0.97 1 corpus/dev3.jsonl corpus/dev4.jsonl
floors "dev5 + dev6" 0.955 0.97 1 corpus/dev5.jsonl corpus/dev6.jsonl
floors "dev7" 0.945 0.945 1 corpus/dev7.jsonl
floors "dev8" 0.945 0.935 1 corpus/dev8.jsonl
floors "dev9" 0.96 0.935 1 corpus/dev9.jsonl
floors "dev10" 0.955 0.945 1 corpus/dev10.jsonl
floors "dev11" 0.96 0.945 1 corpus/dev11.jsonl
floors "dev12" 0.945 0.935 1 corpus/dev12.jsonl
floors "dev13" 0.95 0.9 1 corpus/dev13.jsonl
floors "dev14" 0.955 0.935 1 corpus/dev14.jsonl
floors "dev15" 0.945 0.915 1 corpus/dev15.jsonl
floors "dev16" 0.965 0.95 1 corpus/dev16.jsonl
floors "dev17" 0.945 0.935 1 corpus/dev17.jsonl
floors "dev18" 0.96 0.94 1 corpus/dev18.jsonl
floors "dev19" 0.905 0.91 1 corpus/dev19.jsonl
floors "dev20" 0.92 0.925 1 corpus/dev20.jsonl
floors "dev21" 0.95 0.935 1 corpus/dev21.jsonl
floors "dev22" 0.955 0.905 1 corpus/dev22.jsonl
floors "dev23" 0.925 0.88 1 corpus/dev23.jsonl
floors "dev24" 0.935 0.88 1 corpus/dev24.jsonl
floors "dev25" 0.955 0.92 1 corpus/dev25.jsonl
floors "dev26" 0.935 0.875 1 corpus/dev26.jsonl
floors "dev27" 0.935 0.905 1 corpus/dev27.jsonl
floors "dev28" 0.955 0.925 1 corpus/dev28.jsonl
floors "dev29" 0.925 0.92 1 corpus/dev29.jsonl
floors "dev30" 0.91 0.945 1 corpus/dev30.jsonl
floors "dev31" 0.905 0.895 1 corpus/dev31.jsonl
floors "dev32" 0.92 0.925 1 corpus/dev32.jsonl
floors "dev33" 0.935 0.945 1 corpus/dev33.jsonl
floors "dev34" 0.925 0.905 1 corpus/dev34.jsonl
floors "dev35" 0.95 0.945 1 corpus/dev35.jsonl
floors "dev36" 0.92 0.875 1 corpus/dev36.jsonl
# neg38 (negation pairs) is tuned on but kept out of the models: its
# paired, mostly adverse_reaction cases skew them (docs: corpus/README)
floors "neg38" 0.78 0.8 1 corpus/neg38.jsonl
floors "dev37" 0.895 0.865 1 corpus/dev37.jsonl
floors "dev39" 0.91 0.93 1 corpus/dev39.jsonl
floors "dev40" 0.94 0.915 1 corpus/dev40.jsonl
floors "dev41" 0.915 0.93 1 corpus/dev41.jsonl
floors "dev42" 0.875 0.915 1 corpus/dev42.jsonl
floors "dev43" 0.925 0.93 1 corpus/dev43.jsonl
floors "dev44" 0.86 0.91 1 corpus/dev44.jsonl
floors "dev45" 0.93 0.89 1 corpus/dev45.jsonl
floors "dev46" 0.92 0.89 1 corpus/dev46.jsonl
floors "dev47" 0.955 0.915 1 corpus/dev47.jsonl
# neg47 and neg48 (negation pairs) are tuned on and, like neg38, kept out
# of the models.
floors "neg47" 0.68 0.72 0.96 corpus/neg47.jsonl
floors "neg48" 0.72 0.85 1 corpus/neg48.jsonl
# judge49, neg50, judge51 and neg52 are never tuned on or learned from:
# floors guard them against regressions only; a round is measured on them
# before anything is tuned. Their L4 recall floors are as measured unseen
# (21 of 22, 40 of 43, 22 of 22, 42 of 42).
floors "judge49 (never tuned)" 0.905 0.93 0.95 corpus/judge49.jsonl
floors "neg50 (never tuned)" 0.775 0.825 0.93 corpus/neg50.jsonl
floors "judge51 (never tuned)" 0.895 0.93 1 corpus/judge51.jsonl
floors "neg52 (never tuned)" 0.745 0.83 1 corpus/neg52.jsonl
# The issue's bars are 0.85 / 0.85 / 1.0; the floor holds what is reached.
floors "test half" 0.92 0.9 1 corpus/test.jsonl
expect_exit "sample triage" 0 "$TRIAGE" batch --quiet corpus/sample.jsonl
if [ "$(wc -l < "$TMP/out")" -eq "$(wc -l < corpus/sample.jsonl)" ]; then
    pass "sample: one result per complaint"
else
    fail "sample: one result per complaint" "$(wc -l < "$TMP/out") lines"
fi
expect_grep "child swallowing medicine is an emergency" '"id":"s-007".*"level":"L4"' "$TMP/out"
expect_grep "traditional complaint gets traditional scripts" '"id":"s-005".*"lang":"zh-Hant"' "$TMP/out"

# 都没 / 也没 negate backwards ("过敏也没") and forwards ("也没头疼").
"$TRIAGE" explain --all '效果一般，不过也没头疼' > "$TMP/out" 2>&1
expect_grep "also-not negates what follows" '"头疼" at [0-9-]+ negated' "$TMP/out"
"$TRIAGE" explain --all '吃了三天，过敏也没出现，头疼也没' > "$TMP/out" 2>&1
expect_no_grep "also-not negates what precedes" '"(过敏|头疼)" at [0-9-]+$' "$TMP/out"

# A short cry about a child in danger is not an outburst to vent.
"$TRIAGE" classify '孩子刚才把半瓶止咳糖浆喝了，现在一直吐，嘴唇发紫' > "$TMP/out" 2>&1
expect_grep "child emergency is L4" '"level":"L4"' "$TMP/out"
expect_no_grep "child emergency is not venting" '"nature":"venting"' "$TMP/out"

# Look-alikes of alarms (sixth session): a level the wording does not earn.
# field_is NAME KEY VALUE TEXT: the shipped rules give TEXT that VALUE of
# KEY. The checks are queued and run as one batch by check_fields at the
# end: one load of the rules instead of one per check (about 200 loads,
# half of this file's time, twice that under ASan).
printf '' > "$TMP/fields.jsonl"
printf '' > "$TMP/fields.want"
fields_n=0
field_is() {
    fields_n=$((fields_n + 1))
    printf '{"id":"f%d","text":"%s"}\n' "$fields_n" \
        "$(printf '%s' "$4" | sed 's/\\/\\\\/g; s/"/\\"/g')" >> "$TMP/fields.jsonl"
    printf '%s\t%s\t%s\n' "$2" "$3" "$1" >> "$TMP/fields.want"
}
check_fields() {
    "$TRIAGE" batch --quiet "$TMP/fields.jsonl" > "$TMP/fields.out" 2> "$TMP/fields.err"
    n=0
    tab=$(printf '\t')
    while IFS="$tab" read -r key val name; do
        n=$((n + 1))
        grep "^{\"id\":\"f$n\"," "$TMP/fields.out" > "$TMP/field"
        if grep -q "\"$key\":\"$val\"" "$TMP/field"; then pass "$name"
        else fail "$name" "want $key $val; got $(head -c 300 "$TMP/field") $(head -c 200 "$TMP/fields.err")"; fi
    done < "$TMP/fields.want"
}
level_of() { field_is "$1" level "$2" "$3"; }
level_of "a blood pressure of 190/110 is no call to the police" L2 '我血压190/110，吃了你们的药也不降'
level_of "dialling 110 is a legal signal" L3 '我已经打了110'
level_of "a threat to go to the news is L3, not a crisis" L3 "If you don't refund me I'll be on the news."
level_of "a box slammed on the counter is no assault" L1 '他把药盒摔在柜台上'
level_of "a temperature gun that reads wrong is a quality fault, no weapon" L3 'The temperature gun you sold me reads 34 degrees, I want my money back.'
level_of "coming with a shotgun is an emergency" L4 "If my refund isn't back by Friday I'm coming down to your store with my shotgun."
# Eleventh session (dev33/dev34): a condition's negation ends at 就, the
# threat after it stands; asking for care, customs paperwork, "no reaction
# yet" and a mistaken fright are no emergencies; a forgotten repeat dose
# with a slowing heart is one.
level_of "唔退钱我就砸烂: the threat after 就 is not negated" L4 '唔退錢我就砸爛你哋個櫃檯，講得出做得到'
level_of "下次叫佢小心啲 asks for care, threatens no one" L1 '送貨員成個箱直接掟落門口，啲玻璃樽全部碎晒。唔該補寄，下次叫佢小心啲。'
level_of "a customs notice is no regulator acting" L1 '件貨俾海關扣咗成兩個禮拜，客服淨係話等海關通知。'
level_of "a forgotten triple dose and a slow heart is an emergency" L4 '我妈记性不好，一上午把地高辛吃了三次，现在心跳很慢，人迷迷糊糊的'
level_of "three times a day and drowsy is a side effect" L2 '这个感冒药一天吃三次，吃了以后整天迷迷糊糊的'
level_of "宝宝暂时没反应 means no side effect yet" L2 '皮炎平给宝宝擦了一次脸，还好宝宝暂时没反应'
level_of "以为…点知: a fright that turned out false" L0 '我頭先嚇到魂飛魄散，以為個仔食咗我啲藥，點知係佢自己嘅糖。'
# Twelfth session (dev35): a denial list is no emergency, a medicine that
# did nothing for a week is no unresponsive patient, a deletion request is
# no data leak; a rumour asked about is a question, a stuck insulin pen a
# quality fault, insulin left in the heat a critical medicine at risk.
level_of "no breathing issues is a denial" L2 "Started the sleep aid you recommended and had three nights of nightmares. No rash, no breathing issues, just awful dreams. Should I stop?"
level_of "吃了一周没反应 is no unresponsive patient" L2 '这个止咳药别家买的一吃就好，你们这买的吃了一周没反应。'
level_of "a deletion request is no data leak" L1 '注销账号的入口找了半天没找到，请帮我注销并删除我的所有个人数据。'
level_of "a number left for a check now used for sales is data misuse" L3 '上周在你们店免费量血压，店员让我留了手机号，结果现在天天有人打电话推销保健品。请停止骚扰并删除我的信息。'
field_is "a rumour heard in a chat group is a question" type inquiry '聽講你哋啲口罩係假嘅，朋友群入面有人咁講，係咪真㗎？'
field_is "a pack-size question is a question" type inquiry '请问你们的医用外科口罩一盒多少个？有独立包装的吗？'
field_is "a short pack is still a quality fault" type product_quality '给老伴买的成人纸尿裤，一包里好几片背胶不粘，穿上就掉。'
field_is "can I drive after a sleeping pill is a question" type inquiry '吃了安眠药第二天还能开车吗？'
level_of "a stuck insulin pen dial is a quality fault" L3 "Insulin pen dose dial is stuck at 4 units and won't turn. Brand new, sealed box. I have only one spare left. Need a replacement pen."
level_of "a scale whose reading jumps is a quality fault" L3 '在你们店买的体重秤，站上去数字一直跳，前后差好几公斤。'
level_of "insulin left in the heat is a critical medicine at risk" L2 "The courier left my insulin outside my door in 34°C heat for the whole afternoon. I'm not using it."
# dev36: a thermometer "拆封了" is no shop sealed by a regulator, a clerk's
# "等着中风吧" is a taunt, "before it gives someone a heart attack" a
# warning, lifting a wheelchair into a car no emergency transport.
level_of "拆封了 is no shop sealed by a regulator" L3 '体温计拆开发现屏幕不亮，去门店退，店员说拆封了不给退。不拆封我怎么知道它是坏的？？'
level_of "等着中风吧 is a taunt, no stroke" L1 '刚在你们店里量了血压，店员看了一眼说"你这血压还不吃药，等着中风吧"，说得我一路上心里扑通扑通的。有这么跟人说话的吗。'
level_of "before it gives someone a heart attack is a warning" L1 "Your in-store BP machine gave me 190/110 and I sat there panicking for 20 min. Pharmacist rechecked with a manual cuff: 128/82. Calibrate that thing before it gives someone a heart attack!!"
level_of "a wheelchair lifted into a car is no emergency" L0 '你们店的小李非常好，上次帮我妈把轮椅抬上车。想提个建议：门口能不能装个扶手？台阶有点高，老人进出扶着安心些。'
level_of "carried into a car to the hospital is one" L4 '我爸吃了药以后突然倒地，我们把他抬上车送医院了'
# neg38: an agent's "有没有出现皮疹、呼吸困难等情况？" asserts nothing, a
# finished box of tablets is a course, a cough makes the chest sore,
# urgent care is no admission.
level_of "an agent's yes/no question lists, it does not assert" L2 '【在线客服记录】客服：请问服药后有没有出现皮疹、呼吸困难等情况？我：没有，都没有。客服：那请问是什么问题呢？我：你们发错货了，我买的是10mg的，发来的是20mg的，还没吃。'
level_of "the answer to that question still counts" L4 '孩子吃了药以后有没有出现呼吸困难？有，现在喘不上气'
level_of "吃了一整盒 is a finished course" L2 '吃了一整盒你们的护肝片，转氨酶复查不降反升，从60多升到了180，医生让我马上停掉所有保健品，怀疑就是这个护肝片伤的肝！你们怎么解释？'
level_of "一口气吃了一整盒 is an overdose" L4 '我老公跟我吵架，一口气吃了一整盒安眠药'
level_of "咳得胸口都疼 is no cardiac pain" L2 '医生给我开的依那普利，一直在你们药房拿。吃了一个月，不停地干咳，白天咳晚上也咳，咳得胸口都疼。麻烦让药师回个电话。'
level_of "chest pain after a pill still is" L4 '吃了降压药以后胸口好痛，喘不上气'
level_of "urgent care for hives is no admission" L2 "Took my son to urgent care on Sunday after he broke out in hives on the amoxicillin you dispensed. They confirmed an allergic reaction, gave him an antihistamine and told us to stop it."
# Hearsay (a context role of its own): what the customer heard reaches to
# the end of the sentence, across commas; their own event after it counts.
level_of "a friend's story is hearsay, not our emergency" L2 '聽朋友講佢飲咗你哋隻減肥茶之後心跳好快要入院，我自己飲咗一個月都冇事。想問下其實有冇問題？'
level_of "a school rumour is hearsay" L2 "I heard that a kid at my son's school was hospitalised after taking your cough syrup. We have the same bottle at home and he's fine so far. Should we stop giving it?"
level_of "the customer's own child after the rumour still counts" L4 '听说有个孩子吃了这个药昏迷了。我儿子刚才吃了，现在也昏迷了，叫不醒'
# The severity model does not hear denied words: "冇暈低，亦冇跌親" raised
# a dizzy spell to critical.
level_of "a denied faint does not raise severity" L2 '阿媽食咗你哋藥房配嘅降壓藥，起身嗰陣有少少頭暈，坐低一陣就冇事，冇暈低，亦冇跌親。想問下使唔使同醫生講調藥？'
# judge37 (now dev37): a denied "没有呼吸不顺" is no "没有呼吸", a chat
# button that does nothing is no unresponsive person, a near miss (差点)
# did not happen, an angry wish is no threat, a doctor who sent the
# patient home ended the emergency, "no reaction" to a cream is no limp
# baby; a mix-up in Cantonese is a dispensing error taken; a voucher
# question asks nothing of a pharmacist.
level_of "也没有呼吸不顺 is a denial" L2 '擦了你们的防晒霜脸就红肿了，眼睛周围也肿。没有发烧，也没有呼吸不顺，请问要不要看皮肤科？'
level_of "没有呼吸 still is an emergency" L4 '孩子吃了药以后没有呼吸了'
level_of "a chat button that does nothing is no unresponsive person" L1 '客服机器人只会说请描述问题，转人工按钮点了也没反应'
"$TRIAGE" classify '两个瓶子一模一样也不提醒，我妈差点给孩子喝错了' > "$TMP/out" 2>&1
expect_no_grep "a near miss did not happen" '"level":"L4"' "$TMP/out"
level_of "the same mix-up that happened is an emergency" L4 '我妈给孩子喝错了药，孩子现在叫不醒'
level_of "an angry wish to smash the shop is no threat" L3 '气得我想把你们店砸了，卖过期药还说是我自己不看'
level_of "a plain threat to smash the shop is one" L4 '我明天就来把你们店砸了'
level_of "throat swelling treated and sent home is over" L2 '吃完嗓子肿了，说话都费劲，去医院医生说是过敏，开了药就回家了'
level_of "throat swelling in the emergency room is not" L4 '吃完嗓子肿了，说话都费劲，现在在急诊'
level_of "no reaction to a cream is no limp baby" L2 "Used your nappy cream on my baby for a week. No redness, no reaction, but the rash looks the same."
level_of "a floppy baby who does not respond is one" L4 "My baby is floppy and there is no response when I call her name"
level_of "a voucher question needs no pharmacist" L0 '请问你们的燕窝可唔可以用长者医疗券俾钱？'
level_of "a Cantonese mix-up already taken is a dispensing error" L2 '藥劑師將我同另一個客嘅藥調亂咗，我食咗一粒先發覺藥名唔啱'
# judge39 (now dev39): a parent moved out of ICU is background, a customer
# who says they will not sue threatens nothing, "no injuries" and a near
# fall in Cantonese are no injury; a specialty drug about to run out is a
# critical medicine at risk; an unsubscribe that fails is no drug without
# effect; a breastfeeding flu-shot question is a medical one; asking for the
# evidence of an ad's claim is an efficacy claim.
level_of "a parent moved out of ICU is background" L1 '我妈上周刚从ICU转到普通病房，我来帮她拿降压药，排了一个小时队'
level_of "a reaction in ICU now still is an emergency" L4 '我爸吃了你们的药过敏，现在在ICU'
level_of "a customer who will not sue threatens nothing" L0 '我不是要告你们，只是想知道退款什么时候到账'
level_of "a customer who will sue does" L3 '再不退款我就告你们'
level_of "a door on a walker with no injuries is no injury" L1 "Your automatic door closed on my walker and I nearly lost my balance. No injuries, but please fix it."
level_of "a door that needed stitches is one" L3 "Your automatic door closed on my arm and I needed stitches."
level_of "a near fall in Cantonese is no injury" L1 '你哋門口條斜路好跣，我阿爸差啲跌親，好彩冇事'
level_of "a fall with a fracture is one" L3 '你哋門口條斜路好跣，我阿爸跌親，手腕骨折'
field_is "olaparib about to run out is a critical medicine at risk" severity high '我妈的药是奥拉帕利，下周就吃完了，你们一直说厂家没发货'
# (the severity model may still raise it: 只剩N天的量 is learned from DTP cases)
"$TRIAGE" classify '维生素C只剩五天的量了，你们一直说没到货' > "$TMP/out" 2>&1
expect_no_grep "vitamin C about to run out is no critical medicine" '"critical_medicine"' "$TMP/out"
level_of "an unsubscribe that fails is no drug without effect" L1 '每天三条短信推销奶粉，回复退订也没用，别再发了'
level_of "a flu shot while breastfeeding is a medical question" L2 '请问喂母乳期间可以打流感针吗？'
field_is "asking for an ad's evidence is an efficacy claim" severity medium '你们直播间说这个维生素能预防感冒，有什么科学根据？'
# judge40 (now dev40): Singlish "I know where you stay" is a threat; 碌咗
# (swiped) a large sum is a large claim; a price rise with both prices is a
# price complaint; "nobody got hurt" and "还好没着火" undo an injury and a
# fire; a crushed parcel broke the bottle in transit; a rash after wearing
# a hearing aid is a reaction; "works just like metformin" is a claim.
level_of "I know where you stay is a threat" L4 "Your staff messaged me 'I know where you stay' after I complained. I am scared to go out."
level_of "knowing where the outlet is is not" L1 "I know where your outlet is, will come tomorrow to collect the refund."
level_of "a large sum swiped twice is a large claim" L3 '張信用卡俾你哋碌咗全數一萬二，即係收我雙重？快啲退返俾我！'
level_of "a small sum swiped twice is not" L1 '張信用卡俾你哋扣咗兩次，每次一百蚊，快啲退返俾我'
field_is "a price rise with both prices is a price complaint" type price_refund '以前买这个钙片才68，现在标128了，什么情况？'
level_of "nobody got hurt is no injury" L1 "Nobody got hurt, thank goodness, but a shelf of boxes came down right next to my mum at your store."
level_of "a shelf that hurt a shoulder is one" L3 "A shelf came down on my dad in your store and hurt his shoulder."
level_of "还好没着火 is no fire" L3 '充电盒一插电就发烫，有股焦糊味，还好没着火，给我退了'
level_of "a smoking charger filling the room is one" L4 '充电器插着冒烟了，一股烧焦的味道越来越浓，屋里都是烟'
field_is "a crushed parcel broke the bottle in transit" type logistics '快递外箱压塌了一个角，里面一瓶护理液瓶身裂了，漏得其他东西全是水。'
field_is "a bottle cracked in an intact box is a quality fault" type product_quality '外箱完好，打开发现眼药水瓶身裂了'
field_is "a rash after wearing a hearing aid is a reaction" severity medium "Wear the hearing aid you fit for me, after 2 days my ear canal got rash and itchy."
field_is "works just like metformin is an efficacy claim" severity medium "The pharmacist at your counter told my dad the supplement works just like metformin."
# Marketing texts alone are spam (other, L1; five of seven dev cases were
# L3 from the rules); a sold number shows in who knows what was bought.
level_of "marketing texts alone are spam" L1 '天天收到你们的推销短信，回复T退订了还在发，烦不烦'
level_of "a pregnancy test followed by baby-shop texts is a data leak" L3 '只在你们店买过一次验孕棒，就天天收到母婴推销短信，你们是不是把我信息卖了？'
# A clerk's loud remark on a pregnancy test is humiliation (service
# attitude, L1, as 21 of 32 dev cases say); a diagnosis read out is a leak.
level_of "a loud remark on a pregnancy test is humiliation" L1 '去你们店买验孕棒，店员当着其他顾客的面大声问"结婚了没有"，我当场脸都红了，太不尊重人了'
level_of "a diagnosis read out to the queue is a leak" L3 '药师当着一排人大声念出我的诊断，后面的人都听到我有乙肝，你们怎么培训员工的'
# usage_guidance as the main problem is L2 unless it is a broken promise
# (LABELS 3.): 46 dev label errors caught in time had stayed at L1.
level_of "a label that contradicts the prescription is L2" L2 '药房贴的用法标签写一日三次一次两片，医生处方是一日两次一次一片，还好我对了一下处方，麻烦以后认真点'
level_of "a promised call that never came is L1" L1 '店员说好药到了给我打电话，一周了也没人打，我自己去问才知道早到了'
# A pickup text sent to the customer's parents is a leak of their own data
# (12 dev leaks were at L1); the same text sent to the customer is not.
level_of "a pickup text sent to the parents is a leak" L3 '我在你们网店买的避孕药，取货短信居然发到我爸妈的手机上，他们全都知道了'
level_of "a pickup text sent thrice to the customer is not" L1 '取货短信一下发了三遍到我手机上，能不能别重复发'
# A timing question about a medicine needs a pharmacist (15 dev questions
# were at L0); an opening-hours question does not.
level_of "morning or evening for a statin is a medical question" L2 '他汀晚上吃跟早上吃有区别吗？'
level_of "opening hours are not" L0 '你们店晚上几点关门？'
# Mixing a medicine into milk is a medical question; mixing up orders is not.
field_is "drops mixed into the milk need a pharmacist" id needs_pharmacist 'My baby is 6 months, can I mix the vitamin D drops into the milk bottle?'
"$TRIAGE" classify 'Did you mix the orders up? I ordered shampoo and got conditioner.' > "$TMP/out" 2>&1
expect_no_grep "mixed-up orders need no pharmacist" '"needs_pharmacist"' "$TMP/out"
# Fourteenth session (judge41): a sneer that asks whether a mother died,
# a first-aid kit and a doctor who found a swallowed gummy harmless are no
# emergencies; a death after a medicine and a call for first aid are.
level_of "a sneer asking whether a mother died is no death" L1 '客服一直推銷不讓我掛電話,最後還酸我「您母親不用了是過世了嗎」,這種話說得出口?'
level_of "a death after the medicine is an emergency" L4 '我妈吃了你们的药第二天就过世了'
level_of "a first-aid kit is a product" L2 '你们网店急救包里的碘伏是什么浓度的?给老人擦褥疮能用吗?'
level_of "a call for first aid is an emergency" L4 '我爸吃了你们的药倒地了，我们在等急救'
level_of "a swallowed gummy the doctor found harmless is over" L2 '外孙昨天偷吃了一颗你们家的儿童维生素软糖,吓得我们打了急救电话,医生说一颗没事,现在活蹦乱跳的。就想问问以后要注意点什么。'
level_of "asking before taking it with warfarin is a medical question" L2 "Can my mother take your own-brand glucosamine while she's on warfarin? I wanted to check first."
level_of "a rumour that a drug harms, dared given, is a medical question" L2 '听说吃你们的钙片会长肾结石,真的假的?还敢不敢给她吃?'
level_of "a medicine mixed into a tube feed is a medical question" L2 '鼻饲的药可以和营养液混在一起推吗?'
level_of "a shop that texts a stranger's number is misusing data" L3 '我明明没注册过你们会员,为什么会收到补货短信?我的电话号码哪来的?'
field_is "a parcel's origin is no data question" level L1 '我的快递是从哪来的？显示广州发货，等了一个礼拜'
field_is "a mattress that 'guarantees' no sores is a claim" type efficacy_claim "Your sales rep told our care home the mattress 'guarantees no new bedsores'. We have two new sores this month."
# A rude answer to a dosing question is a service complaint (L1); a medical
# question as the main problem still goes to the pharmacist (30 dev cases
# gained, 5 lost where authors typed the brush-off usage_guidance).
level_of "a brush-off of a dosing question is first line" L1 '你哋個藥劑師好冇禮貌，我問下個藥點食，佢黑面話自己睇說明書'
level_of "a medical question as the main problem is L2" L2 "药师态度太差了，我问两种药能不能一起吃，她说'你问这么多干嘛，医生开了你就吃'，我自己的身体还不能问吗"
# Mined from the dev sets' own L3 cases left at L1 (23 gained, none lost):
# threats to post on a platform or to an authority named first, leaks by
# a neighbour or a family phone, injuries on the premises in Cantonese.
level_of "a video threatened for a residents' group is a media threat" L3 "If the manager speaks to my mother like that again, I'll be posting the video on every neighbourhood group I'm in."
level_of "a recording threatened for Facebook is a media threat" L3 '我已經錄低晒你哋職員點樣對我，唔處理我就放上Facebook俾大家睇。'
level_of "an authority named before the complaint is a regulator threat" L3 '再给我打推销电话，我就去工信部投诉你们。'
level_of "a complaint to head office is no regulator threat" L1 '再这样我就去总部投诉你们。'
level_of "filing with CASE is a regulator threat" L3 "Refund for my cancelled order still not in after 3 weeks. If the money isn't back by Friday I'm filing with CASE."
level_of "a parcel the neighbour opened is a leak" L3 '快递把我的包裹送给了隔壁，隔壁拆开才发现不是他们的，里面是我的验孕试纸和妇科药，现在整栋楼都在议论'
level_of "a parcel left with the neighbour is a delivery failure" L1 '快递又把我的包裹放在隔壁了，我下班才拿到，能不能送到家门口'
level_of "a push on the husband's phone is a leak" L3 '點解我喺你哋App買過嘅抗抑鬱藥，會出現喺我老公部手機嘅推送度？我哋冇共用帳戶！'
level_of "asking how the store got the number is a data complaint" L3 "How did your store get my number? I never gave it to you. I'm getting calls about supplements every day now."
level_of "a slip on a puddle at the counter is an injury on the premises" L3 'I slipped on a puddle by your pharmacy counter, there was no sign. I fractured my wrist.'
level_of "a hand caught in the door is an injury on the premises" L3 '你哋門口道自動門夾親我阿媽隻手，成隻手瘀晒，職員企喺度都冇出嚟睇下。'
# judge42 (a night-pharmacy chain, unseen until measured): drowsy eyelids,
# a head about to burst, fainting from anger as a threat, breast
# tenderness after emergency contraception, a chest pain ruled out last
# month and one whole tablet advised but not given are no emergencies.
level_of "eyelids fighting is drowsiness, no fight" L2 '吃了你们推荐的抗过敏药，第二天一直犯困，开车的时候眼皮直打架，靠边停了半小时才缓过来。这正常吗？'
level_of "a clerk who hits is violence" L4 '你们店员跟我老公吵了两句就动手打人，现在还在店里'
level_of "a head about to explode is a headache" L2 '售药机显示“出货中”转了五分钟，最后掉出来一包纸巾？？我要的是布洛芬！半夜头疼得要炸了，你说好不好笑'
level_of "asking for a replacement bottle is no dose given" L1 '要冷藏的婴儿益生菌滴剂，外卖送到时袋子是热的，冰袋全化成水了。给宝宝吃的东西不敢用，麻烦给换一瓶。'
level_of "breast tenderness after emergency contraception is no chest pain" L2 '吃了紧急避孕药第二天一直头晕、胸口胀痛，这正常吗？大概几天会好？'
level_of "chest pain after a medicine is an emergency" L4 '我爸吃了你们的药半小时后胸口剧痛，满头大汗'
level_of "a chest pain last month ruled out is history" L2 '上个月半夜胸口疼去了急诊，查完说是胃食管反流，不是心脏的问题。现在医生开了奥美拉唑，我平时还在吃阿司匹林，这两个一起吃有没有冲突？'
level_of "fainting from anger as a threat is hyperbole" L1 '你们客服再让我耐心等待一次，我真的会当场气晕过去😤 退款到底什么时候到？！都两周了！'
level_of "one whole tablet advised and not given is no overdose" L2 '昨晚孩子发烧，夜班药师跟我说5岁小孩一次吃一整片400毫克的布洛芬就行。幸好我妈是儿科护士，看了一眼说剂量不对，没给孩子吃。请严肃处理这个药师。'
level_of "a whole bottle swallowed is an overdose" L4 '我女儿刚才吃了一整瓶安眠药，现在叫不醒'
level_of "a rider who names the flat is threatening violence" L4 "Before leaving the rider said 'I know which flat you live in, be careful at night.' I live alone and I'm scared."
level_of "a product name on the bag left next door is a leak" L3 '骑手把我的药送到隔壁去了，袋子上还贴着品名紧急避孕！！隔壁是我房东！！'
level_of "a video posted everywhere unless is a media threat" L3 "Your night guy told my 70yo mum to hurry up and die somewhere else. I've got it on video and I'm posting it everywhere unless someone calls me."
level_of "oral chemotherapy not in that cannot be interrupted is a critical medicine" L2 '我爸的口服化療藥原本約好今天在你們門市領，到了才說藥還沒進，要等到下週。醫生交代不能中斷，請你們今天之內回覆要怎麼處理。'
level_of "a sleep aid with wine is a medical question" L2 'What happens if you mix your sleep aid with a couple of glasses of wine? Asking before a wedding.'
level_of "a loud question about condoms is humiliation" L1 '在藥局被藥師很大聲問『你要買保險套喔？要什麼尺寸的？』全店的人都在看我，超級丟臉的。'
# A child's swallow that the doctor called "问题不大" is over (high, L2).
level_of "a swallow the doctor found no big problem is over" L2 '我儿子自己拧开瓶子吃了一颗你们卖的成人维生素软糖，马上打电话问了儿科医生，说一颗问题不大，观察了两天也没异常。这个瓶盖太容易开了。'
level_of "a swallow with vomiting now is an emergency" L4 '我儿子自己拧开瓶子吃了好几颗你们卖的降压药，现在一直吐，叫他也不太应'
# judge43 (industrial towns and campuses, unseen until measured): student
# hyperbole, a clerk naming the insurance bureau, burn cream bought, a
# workplace injury and an expired pickup code are no alarms; acid in the
# eyes, a clerk telling the class and an overcharge above the bar are.
level_of "a headache 'to die for' is hyperbole" L2 '期末周头痛到想原地去世，你们家那个布洛芬我吃了两片屁用没有，还不如睡一觉。'
level_of "a clerk's 'that is for the insurance bureau' is no regulator threat" L1 '问收银员我的异地医保为什么刷不了，她说“那是医保局的事，跟我们没关系”，然后直接喊下一个。'
level_of "a complaint to the insurance bureau is a regulator threat" L3 '你们再不给我退医保的钱，我就去医保局投诉你们。'
level_of "an overcharge above the bar is a large claim" L3 '经我司财务核对，十月份月结账单中劳保药品补货被重复计入一次，多收人民币8,640元，请核实并退回。'
level_of "a queue that needs CPR is hyperbole" L1 '你们店排队排到我快需要心肺复苏了，一个收银员对二十多个人，另外两个在后面聊天。'
level_of "dying of old age in a queue is hyperbole" L1 "This queue is literally killing me. 45 minutes for ONE box of paracetamol. I'm going to die of old age in here."
level_of "buying burn cream is no burn in the store" L1 '建议培训一下夜班店员：凌晨三点下班去买烫伤膏，他趴在柜台后面睡觉，叫了五分钟才起来，还一脸不耐烦。'
level_of "a burn from a moxibustion trial in the store is an injury on the premises" L3 '我陪母亲去你们店参加免费艾灸体验，店员走开二十多分钟没人管，母亲腰上被烫出两个水泡，医院诊断二度烫伤，店员只拿了一支烫伤膏给我们。'
level_of "a workplace injury is no injury on the premises" L1 '我脚在车间被砸伤了拄着拐，你们店门口三级台阶连个坡道都没有，根本上不去，喊了半天店员也没出来帮一下。'
level_of "acid splashed in the eyes is an emergency" L4 '我同事眼睛溅进硫酸了！！现在疼得睁不开眼，我们就在你们店门口，你们有没有洗眼的东西？要先冲水吗？'
level_of "a clerk telling the class about antidepressants is a leak" L3 '你们店一个兼职店员是我同班同学，她把我在店里买抗抑郁药的事说出去了，现在全班都在议论我。'
level_of "what would happen if a child ate a bottle, she hasn't, is a question" L2 "I bought vitamin C gummies. What would happen if my 4-year-old sister ate a whole bottle by accident? She hasn't, but she's visiting next week, so how should I store them?"
level_of "a child who ate a bottle is an emergency" L4 "My 4-year-old sister just ate a whole bottle of my iron tablets and she's throwing up."
level_of "an expired pickup code is no expired medicine" L1 '在吗在吗 校园柜取件码过期了 药还在里面能拿出来吗 急用'
# judge44 (northern supermarkets and villages, Malaysia mail order, unseen
# until measured): a CO alarm (报警器) is no call to the police, a paper
# read or a TV producer is no media threat, a clerk sending the customer
# to the insurance bureau is no regulator threat; a sealed coal stove with
# headaches now is carbon monoxide, a fake-syrup story today a crisis.
level_of "a CO alarm (报警器) asked about is no call to the police" L2 '家里烧煤炉子，老人晚上吃了安眠药睡得沉，万一煤气了会不会醒不过来啊？你们那有没有那种一氧化碳报警器卖？'
level_of "calling the police is a legal signal" L3 '收银员多收了我钱还不承认，我已经报警了'
level_of "a sealed stove and headaches this morning is carbon monoxide" L4 '喂喂你们卖药的我老婆子早上起来说头疼恶心想吐我也晕乎乎的站不稳是不是昨儿个吃的那个感冒药有毒啊炉子晚上封着呢窗户也关着'
level_of "a neighbour's poisoning last week is a story" L0 '听说隔壁村老王家两口子前几天煤烟中毒了，幸亏救过来了。我家也烧炉子，想问你们那一氧化碳报警器多少钱一个，能给送到村里不？'
level_of "parents in a hyperbaric chamber now is an emergency" L4 '你们卖的那个一氧化碳报警器就是个摆设！！昨晚炉子封着，我爸妈早上起来头疼、吐，我妈站都站不住，报警器一声没响！现在俩人在县医院高压氧舱里，你们卖的啥破玩意！'
level_of "sent to the insurance bureau to ask is no regulator threat" L1 '医保个账被扣了两次，药店让我自己去医保局查，这钱不是你们刷的吗？'
level_of "a fight in the mall that has nothing to do with us is no violence" L1 '我们楼下超市前两天有人打架，警察都来了。跟你们药柜没关系哈，就是问问你们那个柜台现在还开着不？'
level_of "reading the news is no media threat" L0 'Read in the Straits Times that flu cases are climbing this month. Does your online store sell the quadrivalent flu vaccine, or is it clinic-only?'
level_of "going to the papers is a media threat" L3 "Third time my refund has been 'processing'. If it's not in my account by Friday I'm going to the Straits Times."
level_of "finding a TV station is a media threat" L3 '买了三盒阿胶，两盒没拆想退，你们一直拖。再不退，我就联系本地电视台，让大家看看你们怎么对待顾客！'
level_of "a company in the paper today for fake syrup is a public crisis" L4 "Your company is in The Star today: 'Fake cough syrup sold via online pharmacy'. Is this true? I bought 4 bottles from you last month for my kids."
# A child's swallow that a paediatrician, a children's clinic or the poison
# line called harmless is over (LABELS: high, L2); five dev cases had
# stayed critical through rules whose doctor-said lists were shorter.
level_of "a swallow the paediatrician called no problem is over" L2 "My toddler swallowed one of my prenatal gummies. Pediatrician said one is no problem and she's totally fine. Still, a proper child-resistant lid would be nice?"
level_of "a swallow the children's clinic called harmless is over" L2 '弟弟偷吃了一顆姐姐的維他命C咀嚼錠，打電話問小兒科說沒關係，現在也很正常。以後要注意什麼嗎？'
level_of "a lick the poison line said needs no treatment is over" L2 '儿子舔了一下我口服液的瓶口，打了中毒咨询电话，人家说量太少不用处理，在家看着就行。'
level_of "a swallow the doctor sends to the ER is an emergency" L4 '我儿子偷吃了一板降压药，打电话问儿科医生，医生说马上去急诊洗胃，我们正在路上'
# A fault left for weeks, a wait already stated, "since when?" inside a
# question make it a complaint (L1), not self-service (11 dev L1s were at
# L0, none moved the other way); a plain question stays L0.
level_of "a lift out of order for a month is a complaint asked as a question" L1 "Lift's been out of order at the Kowloon Bay branch for a month. My mum uses a walker. Can anyone fix it?"
level_of "a question about the lift is self-service" L0 'Is there a lift at the Kowloon Bay branch? My mum uses a walker.'
level_of "a week already waited is a complaint asked as a question" L1 '喂你好我想問一下我的貨到底什麼時候會到 我已經等一個禮拜了 你們說三天就會到的'
level_of "'since when?' about a fee is a complaint" L1 "$11.99 'service fee' on a $20 order? Since when??"
# judge45 (women's health, unseen until measured): a six-month-old's dosing
# question, premenstrual breast tenderness, haemorrhoid bleeding a doctor
# saw, "literally died at my desk", a friend's story asked as a worry and a
# leaflet's warning are no emergencies; "见他一次打一次" is a threat.
level_of "a six-month-old's dosing question with a mild fever is a medical question" L2 'Hi, can my 6 month old baby take the paracetamol syrup? How many ml ah? She got fever 38.2 since this morning, now I bit worried.'
level_of "a six-week-old with a high fever who won't feed is an emergency" L4 '我家宝宝才6周大，发烧到39度，不肯吃奶，一直睡'
level_of "premenstrual breast tenderness is no chest pain" L2 '月見草油吃了三個月，經前的胸部脹痛還是一樣，是要換其他的？還是要吃更久？'
level_of "haemorrhoid bleeding in pregnancy that a doctor saw is no emergency" L2 '孕期开始吃你们的铁剂以后便秘特别严重，四五天才一次，还有点出血（痔疮那种，医生看过了）。能不能换一种？'
level_of "'literally died at my desk' is hyperbole" L2 "Your period cramp pills are so weak I literally died at my desk today 💀 like what's even in these? Back to my old brand."
level_of "a friend's story asked as a worry is no emergency" L2 '我闺蜜上个月吃了别家的紧急避孕药，大出血进了医院，我现在也需要吃，好怕，你们家的会不会也这样？'
level_of "a leaflet's warning is no admission" L2 '说明书上写“罕见情况下可能出现严重过敏反应，需住院治疗”，看得我心里发毛。这个孕期用的止吐药到底安不安全？我还没开始吃。'
level_of "'every time I see him I'll hit him' is a threat of violence" L4 '你们静安店那个药剂师把我老婆的保胎药拿错了，幸好我们回家核对才发现，她担心得一晚上没睡。明天我就带人过去，见他一次打一次，你们最好让他别来上班。'
# judge46 (sports, travel and seniors; unseen until measured): a
# neighbour's own story and a rumour ending in 说喝了 are hearsay; a shelf
# that fell on a foot, a racing heart sent home from the ER and a runner's
# cramp are no emergencies; a toddler chewing a patch is; wheelchair brakes
# that fail, a report passed on and a vaccine read out to the room go to L3;
# a motion-sickness pill that did not stop the vomiting is efficacy.
level_of "a neighbour's own story is hearsay" L2 '我邻居说她吃了别家的感冒药晕倒过，我有点怕。你们的感冒药老人能吃吗？'
level_of "a neighbour who reports my son's collapse is no hearsay" L4 '我邻居说我儿子在你们店门口晕倒了，现在在医院抢救'
level_of "a rumour ending in 说喝了 is hearsay" L2 '网上有人说喝了这个牌子的蛋白粉肾衰竭，你们卖的这款安全吗？'
level_of "a shelf that fell on a foot is an injury on the premises" L3 '你们店里的货架没放稳，整个倒下来压到我妈的脚，去医院缝了三针。'
level_of "a van that ran over a man is still an emergency" L4 '你们的送货车在停车场压到我爸，人现在在ICU'
level_of "a racing heart sent home from the ER is high" L2 '吃了你们的感冒药去跑步，心率一直在170下不来，去急诊观察了三个小时，没住院。'
level_of "a racing heart now is an emergency" L4 '吃了你们的减肥药心跳一直在180，人站不稳'
level_of "a toddler chewing a patch is child ingestion" L4 "My 3 year old got my nicotine patch off the table and was chewing it, now he's drooling and very pale."
level_of "a toddler chewing a toy is not" L1 'My 3 year old was chewing on a toy while I queued for ages at your till.'
level_of "a runner's cramp is no collapse" L1 '马拉松补给站一个志愿者对着抽筋倒地的跑者说风凉话，这就是你们的服务？'
level_of "a son who falls in a fit is an emergency" L4 '我儿子在你们店里突然抽筋倒地，口吐白沫'
level_of "wheelchair brakes that do not hold are a defect" L3 '我阿妈买咗架轮椅，两个礼拜个煞掣就唔掣得住，落斜差啲冲出马路'
level_of "a wheelchair that cannot reach a broken lift is no defect" L1 '你们药房电梯坏了一个月，我妈坐轮椅上不去二楼。'
level_of "a report handed to a company is a leak" L3 '我喺你哋度做咗听力测试，之后有间公司打嚟讲得出我嘅结果，你哋係咪将我份报告俾咗人？'
level_of "feeling seen through is no leak" L1 '个男职员笑咗一声，我成个人好似俾人睇通咁，好委屈'
level_of "a vaccine read out to the waiting room is a leak" L3 '护士当着一屋子人大声念出我要打的是HPV疫苗，太羞辱人了。'
field_is "a seasickness pill that did not stop the vomiting is efficacy" type efficacy 'Took the seasickness tablets an hour before the ferry like the box says, still spent the whole crossing throwing up.'
field_is "a motion-sickness syrup that did not work is efficacy" type efficacy '给孩子吃了儿童晕车药，按说明书的量给的，坐了两个小时车还是吐了三次，是不是要加量？还是换一种？'
# neg47 (present/absent pairs; tuned on): a denial inside an electrical
# regex's gap, spitting blood-streaked saliva, a fear of what a daughter
# may one day take, and a child who ate none are no emergencies.
level_of "a plug with no smoke is no electrical emergency" L3 '买的电热护膝用了十分钟就不热了，插头那里看着好好的，没冒烟也没烧黑，腿上什么事都没有，是不是要先充满电？'
level_of "a smoking plug is" L4 '你们卖的插线板插头那里冒烟了，还有很重的烧焦味，我儿子的手被烫红了'
level_of "spitting blood-streaked saliva is no violence" L2 '刷牙的时候吐口水带血丝，你们卖的这款漱口水用了以后牙龈就出血，正常吗？'
level_of "spitting at a customer is" L4 '你们店员跟我吵起来，还朝我吐口水'
level_of "a fear of an overdose one day is a question" L2 '我女儿最近情绪很差，我很怕哪天她会把你们药店卖的一整板助眠片全吃了，这种药一次吃多了会有生命危险吗？'
level_of "an overdose now is an emergency" L4 '我女儿刚刚把你们药店卖的一整板助眠片全吃了，叫不醒'
"$TRIAGE" classify "My daughter (4) got hold of the vitamin gummies I ordered from you, but the child lock held and didn't pop off. She ate none. How strong is that lock meant to be?" > "$TMP/out" 2>&1
expect_no_grep "a child who ate none is no child ingestion" '"level":"L4"' "$TMP/out"
level_of "a child who ate ten is" L4 'My daughter (4) got hold of the vitamin gummies I ordered from you because the child lock popped off. She ate about ten.'
# Present halves of neg47 that were missed: a carton that fell on a
# shoulder, a cuff that burst into an eye, a burn while trying a device in
# the store (not a heat pad used at home), data sold after a break-in, and
# a family member's phone that gets the customer's pregnancy offers.
level_of "a carton that fell on a shoulder is an injury on the premises" L3 '你们店货架上层堆的纸箱砸下来，正好砸在我怀孕的老婆肩膀上，肩膀青了一大块，你们必须负责！'
level_of "a store cuff that burst into an eye is an injury on the premises" L3 '在你們門市量血壓，袖帶突然爆開彈到我眼睛，現在眼睛又紅又痛'
level_of "a burn while trying a device in the store is an injury on the premises" L3 '在你们店里试用那台足疗仪，店员不管，我的脚被烫出两个水泡'
level_of "a heat pad that burnt at home is the product's" L2 '在你们店买的暖宝宝，晚上贴着睡觉，腰被烫出两个水泡'
level_of "data sold after a break-in is a leak" L3 '系統俾人入侵咗，我嘅身份證號碼同病歷喺網上俾人攞嚟賣，你哋點負責？'
level_of "offers on a family member's phone are a leak" L3 "After I ordered a pregnancy test on your app, my mum's phone started getting your baby offers. I had not told anyone."
level_of "a drug sent to a hospital lab for testing is no hospital visit" L3 '我把在你们店买的降压药送去医院检验科化验，说有效成分只有标示的一半，我吃了三个月血压一直降不下来，请给个说法。'
level_of "a patient sent to hospital is" L4 '吃了你们的降压药晕倒了，送去医院抢救，现在还在观察'
# "随时会中风" is a risk a doctor warned of, not a stroke.
level_of "a stroke a doctor warns of is no emergency" L3 '你们卖的血压计一直显示正常，诊所量出来180/110，医生说我随时会中风，这机器必须给个说法'
level_of "a stroke now is" L4 '我爸刚刚中风了，现在在医院抢救，就是吃了你们推荐的那个保健品以后'
# Advice that a product can NOT replace a medicine is no claim.
level_of "'would not replace his statin' is no claim" L2 'Your pharmacist told my dad the fish oil would not replace his statin and he must keep taking it. Can he take both at breakfast?'
level_of "'would replace his statin' is" L3 'Your pharmacist told my dad the fish oil would replace his statin, so he stopped taking it. Now his cholesterol is way up.'
# A regulator's warning already issued is a public crisis; a threat to go
# to the regulator is L3 (found by cross-validating the severity model).
level_of "an HSA warning already issued is a public crisis" L4 'The HSA issued a warning yesterday that the slimming coffee you sell contains sibutramine. I have been drinking it for a month.'
level_of "a threat to report to the HSA is L3" L3 'I will report you to the HSA if you do not refund me for the slimming coffee.'
# Capitals for emphasis are anger; the same words in lower case, and
# acronyms, are not (a cased regex reads the original text).
field_is "shouted NOT is choleric" temperament choleric 'The pharmacist told me the cream was safe for my baby. It is NOT.'
field_is "a lower-case not is not shouting" temperament phlegmatic 'The pharmacist told me the cream was safe for my baby. It is not.'
field_is "shouted FIVE is choleric" temperament choleric 'I paid for express delivery and it came in FIVE days'
field_is "acronyms are not shouting" temperament phlegmatic 'My ADHD meds and CPAP filters arrived together.'
"$TRIAGE" classify '打了三次客服电话都没人接' > "$TMP/out" 2>&1
expect_no_grep "calling three times is no double dose" '"type":"adverse_reaction"' "$TMP/out"

for reply in "这是我们公司的规定，你自己看说明书" "This is not my department, I don't know."; do
    "$TRIAGE" check-reply "$reply" > "$TMP/out" 2>&1
    if [ $? -eq 1 ]; then pass "check-reply flags: $reply"; else fail "check-reply flags: $reply" "$(cat "$TMP/out")"; fi
done
expect_exit "check-reply passes a good reply" 0 "$TRIAGE" check-reply "非常抱歉给您带来不便，我们会在24小时内回电。"
expect_exit "follow-up wording is a warning" 0 "$TRIAGE" check-reply --followup "您的病好了吗？"
expect_grep "follow-up wording names the word" '^[0-9]+-[0-9]+: warning: .*\("病"\)' "$TMP/out"
# Sixteenth session, negation round on neg48 and judge47 (now dev47): a leaflet's list of
# risks, a near miss, a withdrawn threat and a relative's hearsay are no
# emergencies; each has a control that still is one.
level_of "a leaflet's quoted risk is no event" L2 "说明书上写着'偶见皮疹，严重者可致过敏性休克'，看得我有点怕。用了两天这个药膏，身上什么都没起。这个还能继续用吗？"
level_of "control: shock that happened is L4" L4 '用了两天这个药膏，全身起疹子，还过敏性休克了，现在在医院抢救。'
level_of "a leaflet's 'rarely: chest pain' is no event" L2 "The leaflet for these tablets says 'rarely: chest pain'. That frightened me so much I haven't taken a single one yet. How common is that?"
level_of "chest pain seen by a GP, ECG normal, is high, not L4" L2 "The leaflet says 'rarely: chest pain'. Well, I got it, a tight pain across my chest after the second tablet. My GP saw me the same day and the ECG was normal."
level_of "a toddler who never put the pill in his mouth" L2 "My 2-year-old got into my bag and had one of my vitamins in his hand. All 30 still in the bottle, he hadn't put it in his mouth. The doctor said not to worry."
level_of "control: a toddler who swallowed pills is L4" L4 "My 2-year-old got into my bag and swallowed a handful of my blood pressure tablets, he is very sleepy now."
level_of "poison line said nothing to do: no emergency" L2 '孩子把降糖药药板拿去玩，我数了一粒都没少，打了中毒急救电话，对方说没吃进去就不用处理。这种药小孩要是吃了会怎样？'
level_of "control: poison line sent the child to the ER" L4 '孩子把降糖药吃了好几粒，打了中毒急救电话，对方让马上送急诊。'
level_of "a threat taken back at once is no violence" L1 '我朋友说碰到这种事就应该直接去店里把柜台砸了，我不会那么干，我就想把多扣的38块钱退回来。'
level_of "control: a plain threat to smash the counter is L4" L4 '再不退钱我明天就去你们店里把柜台砸了！'
level_of "a sister's friend in hospital is hearsay" L2 "My sister said her friend ended up in hospital after taking some slimming pills. Are the fat burner capsules you sell safe with high blood pressure?"
level_of "control: the sister herself in intensive care is L4" L4 "My sister ended up in hospital after taking the slimming pills you sold her, she is in intensive care."
# Checked and found fine, then a question: an inquiry, not a defect; the
# same words asked ("是正品吗？") or a real sign stay a quality complaint.
field_is "a lot number that checks out is no fake" type inquiry '在你們網路商店買的葉黃素，盒子上的批號在原廠官網查得到，膠囊顏色也跟之前買的一樣，應該不是假貨，想問一天吃幾顆比較好？'
field_is "control: a lot number that does not check out" type product_quality '在你們網路商店買的葉黃素，盒子上的批號在原廠官網查不到，膠囊顏色也跟之前買的不一樣，是不是假貨？'
field_is "capsules that smell fine and none burst: a question" type inquiry 'The fish oil capsules from your shop smell fine and none had burst inside the sealed bottle. I have taken two a day this week with no fishy burps or nausea at all. Should I take them with food?'
field_is "control: asking whether it is genuine is a doubt" type product_quality '收到的N95口罩，外包装写的是KN95，里面口罩上印的又是N95，感觉完全不是一个东西。请问是正品吗？希望能提供检测报告'
# A hot-water bottle or wheat bag that bursts is a device defect for
# quality appraisal (L3), with or without a scald; a parcel crushed in
# transit is the courier's (L1).
level_of "a hot-water bottle that bursts and scalds is a defect" L3 '喺你哋度買嘅暖水袋，第一次用就喺接口度爆開，成袋滾水淋晒落我隻腳，燙到起晒泡，要去急症室包紮。你哋一定要賠償！'
level_of "a wheat bag whose seam split is a defect" L3 "Heated your wheat bag for 90 seconds as the label says and the seam split, but it didn't burst. A few grains fell out and nobody got burned. Cheaply made. I expect a refund."
level_of "control: a monitor crushed in its parcel is logistics" L1 '紙箱整個被壓爛，裡面的血壓計螢幕裂開，外盒也凹了一大角。物流說我們已經簽收了他們就不負責。'
# A threat given up in the same breath is none; a data-protection
# commission by its initials is a regulator; a sign that fell and struck a
# shoulder is an injury on the premises.
level_of "a 12315 call given up is no threat" L1 '本来想直接打12315的，想想算了，你们把多收的那22块退给我就行。'
level_of "control: a 12315 ultimatum is L3" L3 '再不把多收的那22块退给我，我就直接打12315。'
level_of "a report to the council decided against is no threat" L1 "I was going to report this to the consumer council, but I decided not to. Please just refund the extra \$15 you charged."
level_of "a complaint to the PDPC is a regulator threat" L3 "STOP texting me. I have unsubscribed 3 times. Next one and I'm filing a complaint with the PDPC."
level_of "a sign that fell and struck a shoulder is an injury in store" L3 'On 7 June a hanging promotional sign in your store fell and struck my left shoulder. I was seen at a clinic the same day. I request reimbursement of the clinic bill.'
# What was NOT posted is no threat to go public (the list not_posted).
level_of "a photo not posted to WeChat is no media threat" L1 '你们店员把我的处方单拍照说是为了存档，我特意问了，没有发到朋友圈。但是拍照前也不问一声，态度很差。'
level_of "control: a prescription posted to WeChat is a leak" L3 '你们店员把我的处方单拍照发到了朋友圈，上面有我的名字和诊断！'
level_of "control: a threat to post the video is L3" L3 '再不给我处理，我就把你们店员拍我处方的视频发到朋友圈！'
# A cold-chain parcel that arrived cold, a trip with no fall and a store's
# own blood-pressure cuff that burst harm no one (list cold_chain_intact,
# sig.injury.premises, sx.device_fault); their controls still escalate.
level_of "insulin that arrived cold is no critical medicine at risk" L1 '冷链配送的胰岛素，快递员本来要放门口，幸好我在家当面签收，冰袋还是硬的，温度贴也没变色。就是快递员打电话态度有点冲，麻烦反映一下。'
level_of "control: insulin left in the sun is at risk" L2 '冷链配送的胰岛素，快递员放在门口晒了一下午，冰袋全化了，温度贴也变色了。'
level_of "a trip with no fall and not a scratch is no injury" L1 'I tripped over a box of stock left in the aisle of your pharmacy on Saturday. I caught myself on a shelf, so no fall and not a scratch. Please keep the aisles clear.'
level_of "control: a trip that broke a wrist is an injury in store" L3 'I tripped over a box of stock left in the aisle of your pharmacy on Saturday and broke my wrist. I want compensation.'
level_of "the store's free cuff bursting is a facility matter" L1 '你们店的免费血压计袖带是破的，我量的时候突然漏气，袖带崩开了，还好没弹到人，血压也量不了。麻烦尽快修一下。'
# An A&E visit that "sent me home" is an ER visit without admission: high.
level_of "A&E that sent the patient home is high, not L4" L2 'Started your hay fever tablets on Monday. By Wednesday my face was swollen and I had hives, so I went to A&E. They gave me an antihistamine injection and sent me home after four hours.'
level_of "control: admitted overnight is L4" L4 'Started your hay fever tablets on Monday. By Wednesday my face was swollen and I had hives, so I went to A&E. They admitted me overnight for observation.'
# A rash with any breathing sign is anaphylaxis until shown otherwise.
level_of "a rash and a bit breathless is an emergency" L4 '吃了一个礼拜，脸上和手臂开始起红疹，还有点喘，晚上呼吸卡卡的，好担心，要停药吗？'
level_of "control: a rash with breathing denied is L2" L2 '吃了一个礼拜，脸上和手臂开始起红疹，有点痒，呼吸很正常，也不喘，要停药吗？'
level_of "hives and a bit wheezy is an emergency" L4 "Two days on your antibiotic and I've got hives on my arms and I'm a bit wheezy tonight. Should I stop?"
# Someone who turns up at the customer's home and menaces is violence.
level_of "a rider menacing at the customer's door is an emergency" L4 "我给骑手打了差评，第二天他又跑到我家门口，拍着门喊'差评是吧？你给我等着'，我一个人在家，吓得不敢出声。请你们马上处理。"
level_of "control: a rude call from a rider is L1" L1 '我给骑手打了差评，他打电话来态度很差，说话很冲，请你们处理一下。'
level_of "a rider at the door saying I'd regret it is an emergency" L4 "The rider I gave a bad review to showed up at my door last night and said I would regret it. I'm scared to open the door."
# Seventeenth session: a condition may set its own modes; a denied symptom
# with a question and nothing asserted is an inquiry (inq.symptom_denied),
# not a reaction; a contrast (但是) brings the real problem back.
field_is "no diarrhoea, no rash, how long to take it is a question" type inquiry '宝宝吃了你们的益生菌，没有拉肚子也没有起疹子，一般要吃多久？'
field_is "no rash but no use either stays efficacy" type efficacy '宝宝吃了你们的益生菌，没有拉肚子也没有起疹子，但是一点用都没有，要吃多久？'
field_is "a rash asserted stays a reaction" type adverse_reaction '我妈吃了你们的鱼油，过敏了，也有点头晕，可以一直吃吗？'
# Context cues may be regexes: 听…邻居…说 with words between is hearsay.
level_of "a rumour heard from the neighbour downstairs is no emergency" L2 '听楼下的邻居说，有个孩子吃了你们的退烧药抽搐住院了，我家的还能吃吗？'
level_of "the same event without 听…说 stays one" L4 '楼下的邻居家孩子吃了你们的退烧药抽搐住院了，我家的还能吃吗？'
# A child found the pills but none went down (list none_swallowed, shared
# by the two child-ingestion rules): no emergency; a swallow told keeps it.
level_of "found the pills, never opened, none eaten is no emergency" L2 '我儿子两岁，刚刚翻到我的降压药，还好瓶盖拧得很紧，他没打开，一颗都没吃到，这个药怎么收好？'
level_of "never got the bottle open is no emergency" L2 'My 3 year old found my blood pressure pills, but he never got the bottle open. Should I buy a lockable box?'
level_of "found the pills and swallowed two stays an emergency" L4 '我儿子两岁，刚刚翻到我的降压药，吞了两粒，现在怎么办？'
# Eighteenth session: a history cue (context 'history': 小时候, 以前有过,
# N年前, years ago) makes its clause the customer's past; the present in
# the next clause still counts.
level_of "a past febrile seizure asked about is no emergency" L2 '我儿子以前有过高热惊厥，这个退烧药会不会引起抽搐？还能吃吗？'
level_of "a childhood seizure on fever medicine is no emergency now" L2 '小时候吃退烧药抽搐过，现在发烧了能吃你们的布洛芬吗？'
level_of "shock from penicillin years ago is history" L2 'I went into anaphylactic shock from penicillin years ago. Does your amoxicillin contain penicillin?'
level_of "a past seizure and a seizure now stays an emergency" L4 '我儿子以前有过高热惊厥，昨晚吃了你们的退烧药又抽搐了，现在在急诊抢救'
# A feared consequence (担心…会, worried … will) is hypothetical.
field_is "a reaction only feared is a question" type inquiry '本来担心吃了你们推荐的那款鱼油以后会过敏，结果一个风团都没起，也不痒，一天吃几粒合适？'
field_is "worried I'll come out in hives is a question" type inquiry "I was worried I'll come out in hives from the new antibiotic, so far nothing. How many days should I take it?"
field_is "the reaction told as done stays one" type adverse_reaction '吃了你们推荐的那款鱼油以后过敏了，起了一片风团，一天吃几粒合适？'
# Health first (defaults.precedence): a reaction told beside a defect or a
# dispensing error is the reaction's case, the other problem in 'also'; a
# defect led over still goes to appraisal (L3); a defect alone stays one.
field_is "rancid fish oil that made me sick is a reaction" type adverse_reaction '鱼油开瓶就一股哈喇味，我当时没在意吃了两粒，到现在一直反酸恶心。批号0000-1234，请安排检测并给个处理方案。'
level_of "... and its defect still goes to appraisal" L3 '鱼油开瓶就一股哈喇味，我当时没在意吃了两粒，到现在一直反酸恶心。批号0000-1234，请安排检测并给个处理方案。'
field_is "rancid fish oil not eaten stays a defect" type product_quality '鱼油开瓶就一股哈喇味，还没吃，请安排检测并给个处理方案。'
field_is "the wrong antihistamine that knocked me out is a reaction" type adverse_reaction '店员拿错了抗过敏药，我要的是氯雷他定，她给的是马来酸氯苯那敏，我没注意吃了三天，每天困得睁不开眼，开车差点出事'
check_fields
