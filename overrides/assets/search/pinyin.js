/* gongkai search: typed pinyin to the tokens hooks/gongkai/search/pinyin.py indexes.
 * SYLLABLES is every toneless syllable pypinyin gives a common character
 * (tests/test_search_pinyin.py checks it against pinyin.syllables()). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.GongkaiPinyin = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var SYLLABLES = "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de den deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo".split(" ");
  var SET = new Set(SYLLABLES), LONGEST = 6;

  // fúpín, lǜ -> fupin, lv (pypinyin's spelling of ü)
  function fold(text) {
    return text.toLowerCase().replace(/[üǖǘǚǜ]/g, "v").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // The syllables of a letters-only string, or null: fewest syllables first (xian, not xi an).
  function split(letters) {
    var best = [];
    for (var b = 0; b <= letters.length; b++) best.push(null);
    best[0] = [];
    for (var i = 0; i < letters.length; i++) {
      if (!best[i]) continue;
      for (var n = Math.min(LONGEST, letters.length - i); n >= 1; n--) {
        var syl = letters.slice(i, i + n);
        if (SET.has(syl) && (!best[i + n] || best[i + n].length > best[i].length + 1)) {
          best[i + n] = best[i].concat([syl]);
        }
      }
    }
    return best[letters.length];
  }

  // The index tokens a typed pinyin string asks for, each list an AND: full pinyin
  // pairs (fupinzijin -> fupin pinzi zijin), or initials (fp, cgj; longer: overlapping triples).
  function terms(typed) {
    var letters = fold(typed).replace(/[^a-z]/g, "");
    if (letters.length < 2) return [];
    var out = [], syl = split(letters);
    if (syl && syl.length >= 2) {
      var pairs = [];
      for (var i = 0; i + 1 < syl.length; i++) pairs.push(syl[i] + syl[i + 1]);
      out.push(pairs);
    }
    if (letters.length <= 3) out.push([letters]);
    else if (!syl || letters.length <= 8 && !/[aeiouv]/.test(letters)) {
      var triples = [];
      for (var k = 0; k + 3 <= letters.length; k++) triples.push(letters.slice(k, k + 3));
      out.push(triples);
    }
    return out;
  }

  return { SYLLABLES: SYLLABLES, fold: fold, split: split, terms: terms };
});
