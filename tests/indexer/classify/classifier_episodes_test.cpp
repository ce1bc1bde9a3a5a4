// TV episodes, season packs, daily shows and anime, asserted field by field.
#include <gtest/gtest.h>

#include "tests/indexer/classify/case_table.hpp"

namespace magnetar::indexer::classify::testing {
namespace {

constexpr auto kEpisode = ContentType::kVideoEpisode;

const std::vector<Case> kTvEpisodes = {
    {.name = "S.W.A.T.2017.S07E01.1080p.WEB.h264-ETHEL", .type = kEpisode, .title = "S.W.A.T", .year = 2017, .season = 7, .episode = 1, .group = "ETHEL"},
    {.name = "The.100.S01E01.720p.HDTV.x264-KILLERS", .type = kEpisode, .title = "The 100", .year = kNone},
    {.name = "1883.S01E01.1080p.WEB.H264-GGEZ", .type = kEpisode, .title = "1883", .year = kNone},
    {.name = "9-1-1.S05E01.720p.HDTV.x264-SYNCOPY", .type = kEpisode, .title = "9-1-1", .season = 5},
    {.name = "Law & Order SVU S25E01 720p", .type = kEpisode, .title = "Law & Order SVU", .season = 25},
    {.name = "Game.of.Thrones.S08E06.1080p.WEB.H264-MEMENTO", .type = kEpisode, .title = "Game of Thrones", .year = kNone, .season = 8, .episode = 6, .resolution = "1080p", .source = "WEB", .codec = "H.264", .group = "MEMENTO"},
    {.name = "The.Office.US.S05E14.Stress.Relief.720p.WEB-DL.DD5.1.H.264-NTb", .type = kEpisode, .title = "The Office US", .season = 5, .episode = 14, .resolution = "720p", .source = "WEB-DL", .codec = "H.264", .group = "NTb", .audio = "DD"},
    {.name = "Breaking.Bad.S05E16.Felina.1080p.BluRay.x264-ROVERS", .type = kEpisode, .title = "Breaking Bad", .season = 5, .episode = 16, .source = "BluRay", .group = "ROVERS"},
    {.name = "The.Mandalorian.S03E08.2160p.DSNP.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX", .type = kEpisode, .title = "The Mandalorian", .season = 3, .episode = 8, .resolution = "2160p", .codec = "H.265", .group = "FLUX", .audio = "DD+,Atmos"},
    {.name = "Show.S01E01-E03.720p.HDTV.x264-GRP", .type = kEpisode, .title = "Show", .season = 1, .episode = 1, .episode_end = 3, .source = "HDTV"},
    {.name = "Show.Name.S02E01E02.720p.HDTV.x264-GRP", .type = kEpisode, .title = "Show Name", .season = 2, .episode = 1, .episode_end = 2},
    {.name = "Show.Name.S03E05-06.1080p.WEB.h264-GRP", .type = kEpisode, .title = "Show Name", .season = 3, .episode = 5, .episode_end = 6},
    {.name = "Doctor.Who.2005.S13E01.1080p.HDTV.H264-GRP", .type = kEpisode, .title = "Doctor Who", .year = 2005, .season = 13, .episode = 1},
    {.name = "Doctor Who 1x01 Rose", .type = kEpisode, .title = "Doctor Who", .season = 1, .episode = 1, .files = {{"Doctor Who 1x01 Rose.avi", 350000000}}},
    {.name = "The.Simpsons.35x04.720p.HDTV.x264", .type = kEpisode, .title = "The Simpsons", .season = 35, .episode = 4},
    {.name = "Seinfeld - 4x11 - The Contest.avi", .type = kEpisode, .title = "Seinfeld", .season = 4, .episode = 11},
    {.name = "Friends.S01-S10.COMPLETE.1080p.BluRay.x265-GRP", .type = kEpisode, .title = "Friends", .season = 1, .season_end = 10, .episode = kNone, .flags = "complete"},
    {.name = "Breaking Bad Season 1-5 Complete 720p BluRay x264", .type = kEpisode, .title = "Breaking Bad", .season = 1, .season_end = 5, .flags = "complete"},
    {.name = "The Wire Season 3 720p BluRay x264", .type = kEpisode, .title = "The Wire", .season = 3, .resolution = "720p"},
    {.name = "Stranger Things Season 4 (2022) [1080p] [WEBRip] [5.1] [YTS.MX]", .type = kEpisode, .title = "Stranger Things", .year = 2022, .season = 4, .source = "WEBRip"},
    {.name = "The.Crown.S06.COMPLETE.1080p.NF.WEB.H264-GRP", .type = kEpisode, .title = "The Crown", .season = 6, .flags = "complete"},
    {.name = "Succession.S04.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb", .type = kEpisode, .title = "Succession", .season = 4, .group = "NTb"},
    {.name =
         "The Sopranos - The Complete Series (1999-2007) [1080p BluRay x265 HEVC 10bit AAC 5.1]", .type = kEpisode, .title = "The Sopranos", .year = 1999, .flags = "complete,10bit"},
    {.name = "Firefly Complete Series 720p BluRay", .type = kEpisode, .title = "Firefly", .flags = "complete"},
    {.name = "The.Daily.Show.2023.05.01.720p.WEB.h264-EDITH", .type = kEpisode, .title = "The Daily Show", .year = 2023, .group = "EDITH"},
    {.name = "Jimmy.Fallon.2024.01.15.Guest.Name.1080p.WEB.H264-JEBAITED", .type = kEpisode, .title = "Jimmy Fallon", .year = 2024},
    {.name = "Last.Week.Tonight.with.John.Oliver.2023.10.08.720p.WEB.h264-GRP", .type = kEpisode, .title = "Last Week Tonight with John Oliver"},
    {.name = "Taskmaster.S16E03.1080p.HDTV.H264-DARKFLiX", .type = kEpisode, .title = "Taskmaster", .season = 16, .episode = 3},
    {.name = "Planet.Earth.II.S01E01.Islands.2160p.UHD.BluRay.x265-GRP", .type = kEpisode, .title = "Planet Earth II", .season = 1, .episode = 1, .resolution = "2160p"},
    {.name = "Chernobyl.S01E05.Vichnaya.Pamyat.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb", .type = kEpisode, .title = "Chernobyl", .season = 1, .episode = 5},
    {.name = "Sherlock.S04E03.The.Final.Problem.720p.HDTV.x264-DEADPOOL", .type = kEpisode, .title = "Sherlock", .season = 4, .episode = 3, .group = "DEADPOOL"},
    {.name = "Dark.S03E08.GERMAN.1080p.WEBRip.x265-GRP", .type = kEpisode, .title = "Dark", .season = 3, .episode = 8, .languages = "de"},
    {.name = "Lupin.S01E01.FRENCH.720p.WEB.H264-GRP", .type = kEpisode, .title = "Lupin", .languages = "fr"},
    {.name = "La.Casa.de.Papel.S02E05.SPANISH.1080p.NF.WEBRip.x264-GRP", .type = kEpisode, .title = "La Casa de Papel", .languages = "es"},
    {.name = "Squid.Game.S01E01.KOREAN.1080p.NF.WEBRip.DDP5.1.x264-GRP", .type = kEpisode, .title = "Squid Game", .languages = "ko"},
    {.name = "Sex.Education.S04E01.1080p.NF.WEB-DL.DDP5.1.H.264-GRP", .type = kEpisode, .title = "Sex Education", .season = 4, .episode = 1},
    {.name = "Naked.and.Afraid.S15E01.720p.WEB.h264-GRP", .type = kEpisode, .title = "Naked and Afraid"},
    {.name = "Adult.Swim.Smalls.S01E01.1080p.WEB.h264-GRP", .type = kEpisode, .title = "Adult Swim Smalls"},
    {.name =
         "The.Last.of.Us.S01E03.Long.Long.Time.REPACK.1080p.HMAX.WEB-DL.DDP5.1.Atmos.H.264-SMURF", .type = kEpisode, .title = "The Last of Us", .season = 1, .episode = 3, .flags = "repack"},
    {.name = "House.of.the.Dragon.S02E01.PROPER.720p.WEB.H264-GRP", .type = kEpisode, .title = "House of the Dragon", .flags = "proper"},
    {.name = "Ted.Lasso.S03E12.So.Long.Farewell.2160p.ATVP.WEB-DL.DDP5.1.Atmos.HDR.H.265-GRP", .type = kEpisode, .title = "Ted Lasso", .season = 3, .episode = 12, .flags = "hdr"},
    {.name = "the.boys.s04e01.1080p.web.h264-successfulcrab", .type = kEpisode, .title = "the boys", .season = 4, .episode = 1, .group = "successfulcrab"},
    {.name = "Ozark S04E14 1080p WEB H264-CAKES", .type = kEpisode, .title = "Ozark", .season = 4, .episode = 14, .group = "CAKES"},
    {.name = "Severance - S02E01 - Hello, Ms. Cobel (1080p ATVP WEB-DL x265 Ghost)", .type = kEpisode, .title = "Severance", .season = 2, .episode = 1},
    {.name = "Shogun.2024.S01E01.Anjin.1080p.DSNP.WEB-DL.DDP5.1.H.264-NTb", .type = kEpisode, .title = "Shogun", .year = 2024, .season = 1, .episode = 1},
    {.name = "Band.of.Brothers.Part.1.of.10.Currahee.720p.BluRay", .type = kEpisode, .title = "Band of Brothers", .files = {{"Band.of.Brothers.E01.mkv", 900000000}}},
    {.name = "Cosmos.A.Spacetime.Odyssey.1of13.720p.HDTV.x264", .type = kEpisode, .title = "Cosmos A Spacetime Odyssey", .episode = 1},
    {.name = "Top Gear - Season 22 Episode 3", .type = kEpisode, .title = "Top Gear", .season = 22, .episode = 3},
    {.name = "Lost.S01.DVDRip.XviD-TOPAZ", .type = kEpisode, .title = "Lost", .season = 1, .source = "DVDRip", .codec = "XviD", .group = "TOPAZ"},
    {.name = "Les Revenants Saison 1 FRENCH 720p", .type = kEpisode, .title = "Les Revenants", .season = 1, .languages = "fr"},
    {.name = "Babylon Berlin Staffel 3 German 1080p", .type = kEpisode, .title = "Babylon Berlin", .season = 3, .languages = "de"},
    {.name = "Money Heist S05 Multi Audio 1080p", .type = kEpisode, .title = "Money Heist", .season = 5, .languages = "multi"},
    {.name = "Seinfeld", .type = kEpisode, .title = "Seinfeld", .files = {{"Season 1/Seinfeld S01E01.mkv", 300000000},
               {"Season 1/Seinfeld S01E02.mkv", 300000000},
               {"Season 1/Seinfeld S01E03.mkv", 300000000}}},
    {.name = "Twin Peaks", .type = kEpisode, .title = "Twin Peaks", .season = 2, .files = {{"Twin.Peaks.S02E01.720p.BluRay.x264.mkv", 1000000000},
               {"Twin.Peaks.S02E02.720p.BluRay.x264.mkv", 1000000000}}},
    {.name = "Some Documentary Series", .type = kEpisode, .title = "Some Documentary Series", .files = {{"Part 1.mp4", 500000000},
               {"Part 2.mp4", 500000000},
               {"E03 - Finale.mp4", 500000000},
               {"E04 - Extra.mp4", 400000000}}},
};

const std::vector<Case> kAnime = {
    {.name = "[桜都字幕组] 葬送的芙莉莲 / Sousou no Frieren [12][1080p][简体内嵌]", .type = kEpisode, .title = "葬送的芙莉莲 / Sousou no Frieren", .episode = 12, .resolution = "1080p", .group = "桜都字幕组"},
    {.name = "[SweetSub][Mahou Shoujo ni Akogarete][13][WebRip][1080P][AVC 8bit][CHS]", .type = kEpisode, .title = "Mahou Shoujo ni Akogarete", .episode = 13, .codec = "H.264", .group = "SweetSub", .languages = "zh"},
    {.name = "[Nekomoe kissaten&LoliHouse] Sousou no Frieren - 12 [WebRip 1080p HEVC-10bit AAC "
             "ASSx2].mkv", .type = kEpisode, .title = "Sousou no Frieren", .episode = 12, .source = "WEBRip", .codec = "H.265", .group = "Nekomoe kissaten&LoliHouse"},
    {.name = "Queen.of.Tears.E16.240428.1080p-NEXT", .type = kEpisode, .title = "Queen of Tears", .episode = 16, .group = "NEXT"},
    {.name = "[Group] Movie Title [2023][1080p]", .type = ContentType::kVideoMovie, .title = "Movie Title", .year = 2023, .episode = kNone},
    {.name = "[SubsPlease] Frieren - 12 (1080p) [ABCD1234].mkv", .type = kEpisode, .title = "Frieren", .episode = 12, .resolution = "1080p", .group = "SubsPlease"},
    {.name = "[SubsPlease] Sousou no Frieren - 28 (720p) [5A6B7C8D].mkv", .type = kEpisode, .title = "Sousou no Frieren", .episode = 28, .resolution = "720p", .group = "SubsPlease"},
    {.name = "[Erai-raws] Jujutsu Kaisen 2nd Season - 23 [1080p][Multiple Subtitle][F3E2D1C0].mkv", .type = kEpisode, .title = "Jujutsu Kaisen 2nd Season", .episode = 23, .group = "Erai-raws"},
    {.name = "[HorribleSubs] One Piece - 900 [720p].mkv", .type = kEpisode, .title = "One Piece", .episode = 900, .group = "HorribleSubs"},
    {.name = "[Judas] Jujutsu Kaisen (Season 2) [1080p][HEVC x265 10bit][Multi-Subs] (Batch)", .type = kEpisode, .title = "Jujutsu Kaisen", .season = 2, .codec = "H.265", .group = "Judas", .flags = "10bit,subs"},
    {.name = "[ASW] Kusuriya no Hitorigoto - 05 [1080p HEVC x265 10Bit][AAC]", .type = kEpisode, .title = "Kusuriya no Hitorigoto", .episode = 5, .codec = "H.265", .group = "ASW"},
    {.name = "[EMBER] Oshi no Ko S2 - 01 [1080p] [Multi-Subs]", .type = kEpisode, .title = "Oshi no Ko", .season = 2, .episode = 1, .group = "EMBER"},
    {.name =
         "[Anime Time] Naruto Shippuden - 001-500 [1080p][HEVC 10bit x265][AAC][Multi Sub] [Batch]", .type = kEpisode, .title = "Naruto Shippuden", .episode = 1, .episode_end = 500, .group = "Anime Time"},
    {.name = "[Commie] Steins;Gate - 01v2 [BD 720p AAC] [ABCDEF12].mkv", .type = kEpisode, .title = "Steins;Gate", .episode = 1, .group = "Commie"},
    {.name = "[Cleo] Cowboy Bebop | Complete Series [Dual Audio 10bit BD1080p][HEVC-x265]", .type = kEpisode, .title = "Cowboy Bebop", .group = "Cleo", .flags = "complete,10bit"},
    {.name = "[DKB] Chainsaw Man - S01E12 [1080p][HEVC x265 10bit][Multi-Subs]", .type = kEpisode, .title = "Chainsaw Man", .season = 1, .episode = 12, .group = "DKB"},
    {.name = "Attack on Titan S04E28 1080p WEB H264-SENPAI", .type = kEpisode, .title = "Attack on Titan", .season = 4, .episode = 28, .group = "SENPAI"},
    {.name = "[Golumpa] Spy x Family - 25 (Spy x Family Season 2) [English Dub] [FuniDub 1080p "
             "x264 AAC]", .type = kEpisode, .title = "Spy x Family", .episode = 25, .group = "Golumpa"},
    {.name = "[Ohys-Raws] Dungeon Meshi - 12 (TBS 1280x720 x264 AAC).mp4", .type = kEpisode, .title = "Dungeon Meshi", .episode = 12, .resolution = "720p", .group = "Ohys-Raws"},
    {.name = "Neon Genesis Evangelion (1995) [BD 1080p x265 10bit Dual Audio]", .type = kEpisode, .title = "Neon Genesis Evangelion", .year = 1995, .files = {{"Neon Genesis Evangelion - 01.mkv", 800000000},
               {"Neon Genesis Evangelion - 02.mkv", 800000000},
               {"Neon Genesis Evangelion E03.mkv", 800000000}}},
};

TEST(ClassifierEpisodes, TvNamesParseFieldByField) {
  for (const Case& c : kTvEpisodes) check_case(c);
}

TEST(ClassifierEpisodes, AnimeNamesParseFieldByField) {
  for (const Case& c : kAnime) check_case(c);
}

}  // namespace
}  // namespace magnetar::indexer::classify::testing
